//! `brig registry tags|catalog`: what a registry holds, one name per line.

use std::io::Write;

use anyhow::Result;
use brig_image::Target;

use crate::cli::{Global, RegistryCommand};

pub fn run(g: &Global, cmd: &RegistryCommand) -> Result<()> {
    let cache_dir = crate::dirs::cache_dir(g.cache_dir.as_ref());
    let names = match cmd {
        RegistryCommand::Tags { repository, image } => {
            let target = Target::Registry { reference: repository.clone() };
            let opts = crate::image_source::registry_options(g, image, cache_dir.as_deref(), &target)?;
            brig_registry::tags(repository, &opts)?
        }
        RegistryCommand::Catalog { registry, image } => {
            let target = Target::Registry { reference: registry.clone() };
            let opts = crate::image_source::registry_options(g, image, cache_dir.as_deref(), &target)?;
            brig_registry::catalog(registry, &opts)?
        }
    };
    let mut out = std::io::stdout().lock();
    for n in names {
        writeln!(out, "{n}")?;
    }
    Ok(())
}
