//! A hand-built scan report that exercises every field the writers read, including text
//! from feeds that must be escaped (Markdown, mentions, control characters) and paths that
//! need percent-encoding.
#![allow(dead_code)]

use brig_match::{
    AdvisoryRef, Cvss, DbInfo, Finding, FixState, Notice, PackageRef, SCHEMA, ScanReport, Severity, Suppressed,
    Unchecked,
};
use brig_sbom::{Distro, LayerRef, SourceInfo, Tool};

pub fn deb(name: &str, version: &str, layer: usize) -> PackageRef {
    PackageRef {
        id: format!("id-{name}-{version}"),
        kind: "deb".into(),
        name: name.into(),
        version: version.into(),
        source_name: Some("src".into()),
        source_version: None,
        purl: format!("pkg:deb/debian/{name}@{}?arch=amd64&distro=debian-11", version.replace('+', "%2B")),
        found_in: "/var/lib/dpkg/status".into(),
        layer: Some(LayerRef {
            index: layer,
            diff_id: Some(format!("sha256:{}", format!("{layer}").repeat(64))),
            created_by: Some(
                "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl ca-certificates".into(),
            ),
        }),
    }
}

pub fn finding(id: &str, package: PackageRef, severity: Severity, state: FixState, fixed: Option<&str>) -> Finding {
    Finding {
        id: id.into(),
        aliases: vec![],
        package,
        ecosystem: "Debian:11".into(),
        state,
        fixed_version: fixed.map(Into::into),
        severity,
        severity_source: Some("debian".into()),
        cvss: None,
        known_exploited: false,
        title: Some(format!("{id} title")),
        cwes: vec![],
        advisories: vec![AdvisoryRef {
            id: id.into(),
            source: "debian/CVE-list".into(),
            fixed_version: fixed.map(Into::into),
        }],
        references: vec![format!("https://security-tracker.debian.org/tracker/{id}")],
    }
}

pub fn sample() -> ScanReport {
    let libc = deb("libc6", "2.31-13+deb11u5", 0);
    let ssl = deb("libssl1.1", "1.1.1n-0+deb11u4", 1);
    let openssl = deb("openssl", "1.1.1n-0+deb11u4", 1);
    let requests = PackageRef {
        id: "id-requests".into(),
        kind: "pypi".into(),
        name: "requests".into(),
        version: "2.25.0".into(),
        source_name: None,
        source_version: None,
        purl: "pkg:pypi/requests@2.25.0".into(),
        found_in: "/app/venv/lib/python3.9/site-packages/requests-2.25.0.dist-info/METADATA".into(),
        layer: Some(LayerRef {
            index: 2,
            diff_id: None,
            created_by: Some("RUN pip install -r requirements.txt".into()),
        }),
    };
    let odd = PackageRef {
        id: "id-odd".into(),
        kind: "npm".into(),
        name: "@scope/pkg".into(),
        version: "1.0.0".into(),
        source_name: None,
        source_version: None,
        purl: "pkg:npm/%40scope/pkg@1.0.0".into(),
        found_in: "/opt/my app/pkg:1/package.json".into(),
        layer: None,
    };

    let mut glibc = finding("CVE-2023-4911", libc.clone(), Severity::High, FixState::Fixed, Some("2.31-13+deb11u7"));
    glibc.known_exploited = true;
    glibc.cvss = Some(Cvss {
        version: "3.1".into(),
        vector: "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H".into(),
        score: 7.8,
        source: "nvd@nist.gov".into(),
    });
    glibc.severity_source = Some("nvd@nist.gov".into());
    glibc.cwes = vec!["CWE-787".into(), "CWE-122".into()];
    glibc.title = Some("glibc: buffer overflow in ld.so | @everyone <b>now</b> #1\n\x1b[31mred".into());
    glibc.aliases = vec!["DSA-5514-1".into()];

    let mut neg = finding("CVE-2019-1010022", libc.clone(), Severity::Negligible, FixState::NotFixed, None);
    neg.cvss = Some(Cvss {
        version: "3.0".into(),
        vector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into(),
        score: 9.8,
        source: "nvd@nist.gov".into(),
    });
    neg.cwes = vec!["NVD-CWE-Other".into()];

    let ssl1 = finding("CVE-2023-0286", ssl, Severity::High, FixState::Fixed, Some("1.1.1n-0+deb11u4+x"));
    let ssl2 = finding("CVE-2023-0286", openssl.clone(), Severity::High, FixState::Fixed, Some("1.1.1n-0+deb11u4+x"));
    let mut wont = finding("CVE-2024-0001", openssl, Severity::Medium, FixState::WontFix, None);
    wont.title = None;

    let mut req = finding("GHSA-j8r2-6x86-q33q", requests.clone(), Severity::Medium, FixState::Fixed, Some("2.31.0"));
    req.ecosystem = "PyPI".into();
    req.aliases = vec!["CVE-2023-32681".into(), "PYSEC-2023-74".into()];
    req.severity_source = Some("ghsa".into());
    req.cvss = Some(Cvss {
        version: "3.1".into(),
        vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N".into(),
        score: 6.1,
        source: "ghsa".into(),
    });
    req.references =
        vec!["not a url".into(), "https://github.com/psf/requests/security/advisories/GHSA-j8r2-6x86-q33q".into()];

    let mut unknown = finding("MAL-2024-1", odd.clone(), Severity::Unknown, FixState::NotFixed, None);
    unknown.title = None;
    unknown.references = vec!["see the mailing list".into()];
    unknown.severity_source = None;
    unknown.ecosystem = "npm".into();

    ScanReport {
        schema: SCHEMA.into(),
        tool: Tool { name: "brig".into(), version: "0.1.0".into() },
        source: SourceInfo {
            kind: "docker-archive".into(),
            target: "app.tar".into(),
            name: Some("brig/app:1.0".into()),
            image_id: Some(format!("sha256:{}", "ab".repeat(32))),
            ..SourceInfo::default()
        },
        distro: Some(Distro {
            id: "debian".into(),
            version_id: Some("11".into()),
            pretty_name: Some("Debian GNU/Linux 11 (bullseye)".into()),
            found_in: "/etc/os-release".into(),
            ..Distro::default()
        }),
        database: DbInfo { path: "/tmp/brig.db".into(), built_at: Some("2024-05-01T00:00:00Z".into()) },
        packages: 120,
        findings: vec![neg, req, glibc, wont, unknown, ssl2, ssl1],
        notices: vec![Notice {
            id: "RUSTSEC-2020-0071".into(),
            kind: "unmaintained".into(),
            package: PackageRef { kind: "cargo".into(), ..deb("time", "0.1.45", 2) },
            title: Some("time is unmaintained, @maintainer".into()),
        }],
        unchecked: vec![Unchecked {
            package: deb("weird", "1.0~bad|x", 1),
            advisory: Some("CVE-2020-0001".into()),
            reason: "version `1.0~bad|x` does not parse".into(),
        }],
        suppressed: vec![Suppressed {
            finding: finding("CVE-2022-1234", libc, Severity::Low, FixState::NotFixed, None),
            by: "vex".into(),
            reason: "not_affected: vulnerable_code_not_present".into(),
        }],
        warnings: vec!["ignore entry CVE-2000-0001 expired on 2024-01-01".into()],
    }
}

pub fn empty() -> ScanReport {
    let mut r = sample();
    r.findings.clear();
    r.notices.clear();
    r.unchecked.clear();
    r.suppressed.clear();
    r.warnings.clear();
    r
}
