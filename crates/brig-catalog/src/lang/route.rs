//! Which language files a layer's reader keeps, decided from the path alone (binaries are
//! decided from their first bytes, see `files.rs`).

use serde::{Deserialize, Serialize};

/// A language file brig reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LangFile {
    /// `*.dist-info/METADATA`, `*.egg-info/PKG-INFO`, an `*.egg-info` file, `*.egg/EGG-INFO/PKG-INFO`.
    PythonMetadata,
    /// A zipped egg (`*.egg` file), read as a stream for its `EGG-INFO/PKG-INFO`.
    PythonEgg,
    /// `requirements*.txt`
    PythonRequirements,
    PoetryLock,
    PipfileLock,
    UvLock,
    /// `node_modules/<name>/package.json`, `node_modules/@scope/<name>/package.json`
    NpmPackageJson,
    /// `package-lock.json`, `npm-shrinkwrap.json`
    NpmLock,
    YarnLock,
    PnpmLock,
    CargoLock,
    GoMod,
    GoSum,
    /// `.jar`, `.war`, `.ear` and their kin ([`super::java::is_java_archive`]), read as a stream.
    JavaArchive,
    /// `specifications/*.gemspec` of installed gems.
    Gemspec,
    GemfileLock,
    ComposerLock,
    /// `vendor/composer/installed.json`
    ComposerInstalled,
    /// `*.deps.json`
    DotnetDeps,
}

impl LangFile {
    /// Files describing what is installed, as opposed to what a project asked for
    /// (manifests and lock files): when both name the same package, the installed copy
    /// is the package and the lock file only adds what it knows (direct, dev).
    pub fn is_installed(self) -> bool {
        matches!(
            self,
            LangFile::PythonMetadata
                | LangFile::PythonEgg
                | LangFile::NpmPackageJson
                | LangFile::JavaArchive
                | LangFile::Gemspec
                | LangFile::ComposerInstalled
                | LangFile::DotnetDeps
        )
    }

    /// The largest file of this kind worth reading (archives stream and have no bound here).
    pub fn max_size(self) -> u64 {
        match self {
            LangFile::PythonMetadata | LangFile::NpmPackageJson | LangFile::Gemspec => 8 << 20,
            LangFile::PythonRequirements => 4 << 20,
            LangFile::JavaArchive | LangFile::PythonEgg => u64::MAX,
            _ => 128 << 20,
        }
    }

    /// Classifies a normalised image path (no leading `/`).
    pub fn of(path: &str) -> Option<LangFile> {
        let (dir, name) = brig_layer::path::split_parent(path);
        let parent = brig_layer::path::split_parent(dir).1;
        // Installed metadata is recognised wherever it is.
        match name {
            "METADATA" if parent.ends_with(".dist-info") => return Some(LangFile::PythonMetadata),
            "PKG-INFO" if parent.ends_with(".egg-info") || (parent == "EGG-INFO" && dir.ends_with(".egg/EGG-INFO")) => {
                return Some(LangFile::PythonMetadata);
            }
            _ if name.ends_with(".egg-info") && name.len() > ".egg-info".len() => {
                return Some(LangFile::PythonMetadata);
            }
            "package.json" if is_node_module_dir(dir) => return Some(LangFile::NpmPackageJson),
            "installed.json" if dir == "vendor/composer" || dir.ends_with("/vendor/composer") => {
                return Some(LangFile::ComposerInstalled);
            }
            _ => {}
        }
        if name.ends_with(".egg") && name.len() > ".egg".len() {
            return Some(LangFile::PythonEgg);
        }
        if name.ends_with(".gemspec") && (parent == "specifications" || dir.ends_with("specifications/default")) {
            return Some(LangFile::Gemspec);
        }
        if super::java::is_java_archive(name) {
            return Some(LangFile::JavaArchive);
        }
        if name.ends_with(".deps.json") && name.len() > ".deps.json".len() {
            return Some(LangFile::DotnetDeps);
        }
        // Manifests and lock files, except copies inside installed packages and package
        // managers' caches, which describe someone else's project.
        if inside_installed_or_cache(dir) {
            return None;
        }
        let kind = match name {
            "poetry.lock" => LangFile::PoetryLock,
            "Pipfile.lock" => LangFile::PipfileLock,
            "uv.lock" => LangFile::UvLock,
            "package-lock.json" | "npm-shrinkwrap.json" => LangFile::NpmLock,
            "yarn.lock" => LangFile::YarnLock,
            "pnpm-lock.yaml" => LangFile::PnpmLock,
            "Cargo.lock" => LangFile::CargoLock,
            "go.mod" if !is_go_toolchain_source(dir) => LangFile::GoMod,
            "go.sum" if !is_go_toolchain_source(dir) => LangFile::GoSum,
            "Gemfile.lock" => LangFile::GemfileLock,
            "composer.lock" => LangFile::ComposerLock,
            _ if name.starts_with("requirements") && name.ends_with(".txt") => LangFile::PythonRequirements,
            _ => return None,
        };
        Some(kind)
    }
}

/// `…/node_modules/<name>` or `…/node_modules/@scope/<name>`.
fn is_node_module_dir(dir: &str) -> bool {
    let (up, name) = brig_layer::path::split_parent(dir);
    if name.is_empty() || name.starts_with('.') {
        return false;
    }
    let (up2, scope) = brig_layer::path::split_parent(up);
    // `node_modules/@scope` itself only groups packages.
    (scope == "node_modules" && !name.starts_with('@'))
        || (scope.starts_with('@') && brig_layer::path::split_parent(up2).1 == "node_modules")
}

/// Directories whose lock files are not the image's own: installed packages (a published
/// package may ship its author's lock file) and package-manager caches.
fn inside_installed_or_cache(dir: &str) -> bool {
    let d = format!("/{dir}/");
    [
        "/node_modules/",
        "/site-packages/",
        "/dist-packages/",
        "/pkg/mod/",
        "/.cargo/registry/",
        "/.cargo/git/",
        "/gems/",
        "/.npm/",
        "/.cache/",
    ]
    .iter()
    .any(|p| d.contains(p))
}

/// The Go toolchain's own modules (`GOROOT/src/go.mod` is `module std`, `src/cmd` is
/// `module cmd`): the standard library is reported from binaries, not from here.
fn is_go_toolchain_source(dir: &str) -> bool {
    let d = format!("/{dir}");
    (d.ends_with("/src") || d.ends_with("/src/cmd")) && (d.contains("/go/src") || d.contains("/go-1."))
}

#[cfg(test)]
mod tests {
    use super::LangFile::{self, *};

    #[test]
    fn classifies_paths() {
        let cases: &[(&str, Option<LangFile>)] = &[
            ("usr/local/lib/python3.9/dist-packages/Django-3.2.4.dist-info/METADATA", Some(PythonMetadata)),
            ("usr/lib/python3/dist-packages/PyYAML-5.3.1.egg-info/PKG-INFO", Some(PythonMetadata)),
            ("usr/lib/python3/dist-packages/foo-1.0.egg-info", Some(PythonMetadata)),
            ("opt/x/foo-1.0-py3.9.egg/EGG-INFO/PKG-INFO", Some(PythonMetadata)),
            ("usr/lib/python3/site-packages/foo-1.0-py3.9.egg", Some(PythonEgg)),
            ("usr/lib/python3/dist-packages/foo/METADATA", None),
            ("app/node_modules/express/package.json", Some(NpmPackageJson)),
            ("app/node_modules/@xmldom/xmldom/package.json", Some(NpmPackageJson)),
            ("app/node_modules/a/node_modules/b/package.json", Some(NpmPackageJson)),
            ("app/node_modules/express/lib/package.json", None),
            ("app/node_modules/@scope/package.json", None),
            ("app/node_modules/.bin/package.json", None),
            ("app/package.json", None),
            ("app/package-lock.json", Some(NpmLock)),
            ("app/node_modules/x/package-lock.json", None),
            ("app/requirements.txt", Some(PythonRequirements)),
            ("app/requirements-dev.txt", Some(PythonRequirements)),
            ("usr/lib/python3/dist-packages/x/requirements.txt", None),
            ("src/Cargo.lock", Some(CargoLock)),
            ("root/.cargo/registry/src/x/Cargo.lock", None),
            ("src/app/go.mod", Some(GoMod)),
            ("root/go/pkg/mod/golang.org/x/net@v0.1.0/go.mod", None),
            ("usr/local/go/src/go.mod", None),
            ("usr/lib/go-1.19/src/cmd/go.sum", None),
            ("opt/app/app.jar", Some(JavaArchive)),
            ("opt/app/APP.WAR", Some(JavaArchive)),
            ("opt/plugins/x.hpi", Some(JavaArchive)),
            // A bare extension names no archive, as the Java cataloger reads names.
            ("opt/app/.jar", None),
            ("opt/app/jar", None),
            ("usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec", Some(Gemspec)),
            ("usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec", Some(Gemspec)),
            ("app/rake.gemspec", None),
            ("app/Gemfile.lock", Some(GemfileLock)),
            ("var/www/vendor/composer/installed.json", Some(ComposerInstalled)),
            ("var/www/composer.lock", Some(ComposerLock)),
            ("app/MyApp.deps.json", Some(DotnetDeps)),
            ("app/.deps.json", None),
        ];
        for (path, want) in cases {
            assert_eq!(LangFile::of(path), *want, "{path}");
        }
    }
}
