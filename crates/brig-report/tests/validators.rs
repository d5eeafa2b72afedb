//! SARIF and CycloneDX output checked by independent validators against the official
//! schemas (`scripts/validate-sbom.py`; `scripts/test` installs them). Missing validators
//! fail the test rather than skip it: a skipped check would look like a passed one.

mod common;

use std::path::{Path, PathBuf};

use brig_match::ScanReport;
use brig_report::{ReportOptions, ScanFormat, write_scan};

/// The workspace root: the nearest ancestor holding `scripts/validate-sbom.py`.
fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .find(|d| d.join("scripts/validate-sbom.py").is_file())
        .unwrap_or_else(|| panic!("no scripts/validate-sbom.py above {}", here.display()))
        .to_path_buf()
}

fn validate(kind: &str, path: &Path) {
    let root = root();
    let python = std::env::var("BRIG_TEST_PYTHON")
        .unwrap_or_else(|_| root.join("target/validators-venv/bin/python").display().to_string());
    let script = root.join("scripts/validate-sbom.py");
    let o = std::process::Command::new(&python).arg(&script).arg(kind).arg(path).output().unwrap_or_else(|e| {
        panic!("cannot run the validators with {python}: {e}; run scripts/test, which installs them")
    });
    assert!(
        o.status.success(),
        "{kind} document {} failed validation:\n{}{}",
        path.display(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn check(name: &str, report: &ScanReport) {
    let dir = std::env::temp_dir().join(format!("brig-report-validators-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let opts = ReportOptions { color: true, show_layer: true, show_suppressed: true };
    for (format, kind, ext) in [(ScanFormat::Sarif, "sarif", "sarif"), (ScanFormat::CycloneDx, "cyclonedx", "cdx.json")]
    {
        let path = dir.join(format!("{name}.{ext}"));
        let mut out = Vec::new();
        write_scan(report, format, &opts, &mut out).unwrap();
        std::fs::write(&path, out).unwrap();
        validate(kind, &path);
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn sample_report_validates() {
    check("sample", &common::sample());
}

#[test]
fn empty_report_validates() {
    check("empty", &common::empty());
}

#[test]
fn report_without_image_details_validates() {
    let mut r = common::sample();
    r.source.image_id = None;
    r.source.name = None;
    r.distro = None;
    for f in &mut r.findings {
        f.package.layer = None;
        f.package.found_in = String::new();
        f.references.clear();
        f.cvss = None;
    }
    check("bare", &r);
}
