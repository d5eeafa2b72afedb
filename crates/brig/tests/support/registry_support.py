#!/usr/bin/env python3
"""Test support for the registry tests: a test PKI, htpasswd files, and a token issuer.

usage:
  registry_support.py pki DIR                 CA, a server certificate for 127.0.0.1 and
                                              localhost, a token-signing key, and a client
                                              certificate in DIR/docker-client (PEM files)
  registry_support.py htpasswd USER PASSWORD  one bcrypt htpasswd line (what distribution reads)
  registry_support.py token-issuer DIR USER PASSWORD ISSUER SERVICE
                                              serves GET /token on a free loopback port
                                              (written to DIR/issuer.port), as the Docker
                                              token authentication specification describes

The issuer grants the actions a request's scopes ask for to USER with PASSWORD (HTTP basic
auth) and refuses anyone else with 401. Tokens are ES256 JWTs whose header carries the
signing certificate (x5c), which the registry verifies against the test CA.
"""
import base64
import datetime
import http.server
import json
import os
import secrets
import sys
import time
import urllib.parse

import bcrypt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
import ipaddress


def write_key(path, key):
    with open(path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def write_cert(path, cert):
    with open(path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))


def pki(directory):
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "brig test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
          .not_valid_after(now + datetime.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))

    def leaf(common_name, san, usage):
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (x509.CertificateBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
                   .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=2))
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False))
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        if usage:
            builder = builder.add_extension(x509.ExtendedKeyUsage(usage), critical=False)
        return key, builder.sign(ca_key, hashes.SHA256())

    server_key, server = leaf("127.0.0.1", [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")],
                              [ExtendedKeyUsageOID.SERVER_AUTH])
    token_key, token = leaf("brig test token signer", None, None)
    client_key, client = leaf("brig test client", None, [ExtendedKeyUsageOID.CLIENT_AUTH])
    os.makedirs(directory, exist_ok=True)
    write_key(os.path.join(directory, "ca.key"), ca_key)
    write_cert(os.path.join(directory, "ca.pem"), ca)
    write_key(os.path.join(directory, "server.key"), server_key)
    write_cert(os.path.join(directory, "server.pem"), server)
    write_key(os.path.join(directory, "token.key"), token_key)
    write_cert(os.path.join(directory, "token.pem"), token)
    # The Docker CLI's TLS directory layout (DOCKER_CERT_PATH): ca.pem, cert.pem, key.pem.
    client_dir = os.path.join(directory, "docker-client")
    os.makedirs(client_dir, exist_ok=True)
    write_cert(os.path.join(client_dir, "ca.pem"), ca)
    write_cert(os.path.join(client_dir, "cert.pem"), client)
    write_key(os.path.join(client_dir, "key.pem"), client_key)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token_issuer(directory, user, password, issuer, service):
    with open(os.path.join(directory, "token.key"), "rb") as f:
        key = serialization.load_pem_private_key(f.read(), None)
    with open(os.path.join(directory, "token.pem"), "rb") as f:
        cert_der = x509.load_pem_x509_certificate(f.read()).public_bytes(serialization.Encoding.DER)
    expected = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, fmt, *args):
            sys.stderr.write("issuer: " + (fmt % args) + "\n")

        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            if url.path != "/token":
                self.send_error(404)
                return
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"details": "invalid credentials"}')
                return
            query = urllib.parse.parse_qs(url.query)
            access = []
            for scope in query.get("scope", []):
                for one in scope.split(" "):
                    kind, rest = one.split(":", 1)
                    name, actions = rest.rsplit(":", 1)
                    access.append({"type": kind, "name": name, "actions": actions.split(",")})
            now = int(time.time())
            header = {"typ": "JWT", "alg": "ES256", "x5c": [base64.b64encode(cert_der).decode()]}
            claims = {"iss": issuer, "sub": user, "aud": query.get("service", [service])[0], "exp": now + 600,
                      "nbf": now - 60, "iat": now, "jti": secrets.token_hex(16), "access": access}
            signing_input = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())).encode()
            r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
            token = signing_input.decode() + "." + b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
            body = json.dumps({"token": token, "access_token": token, "expires_in": 600,
                               "issued_at": datetime.datetime.now(datetime.timezone.utc).isoformat()}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tmp = os.path.join(directory, "issuer.port.tmp")
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, os.path.join(directory, "issuer.port"))
    server.serve_forever()


def main():
    cmd = sys.argv[1]
    if cmd == "pki":
        pki(sys.argv[2])
    elif cmd == "htpasswd":
        print("%s:%s" % (sys.argv[2], bcrypt.hashpw(sys.argv[3].encode(), bcrypt.gensalt(rounds=5)).decode()))
    elif cmd == "token-issuer":
        token_issuer(*sys.argv[2:7])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
