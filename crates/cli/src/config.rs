//! Quire's configuration: defaults, then a TOML file, then `QUIRE_*` environment variables,
//! then command-line flags, each overriding the one before.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Every setting, with its default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where the SQLite database (and later the search index) live. `QUIRE_DATA`.
    pub data: PathBuf,
    /// `postgres://…` to use PostgreSQL instead of the SQLite file in `data`.
    /// `QUIRE_DATABASE_URL`.
    pub database_url: Option<String>,
    /// Address `quire serve` listens on. `QUIRE_BIND`.
    pub bind: SocketAddr,
    /// The archive's name, shown on its pages. `QUIRE_SITE_NAME`.
    pub site_name: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data: PathBuf::from("./quire-data"),
            database_url: None,
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            site_name: "Quire".to_owned(),
        }
    }
}

/// Settings given on the command line; `None` leaves the lower layers' value.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<SocketAddr>,
}

/// The environment variables Quire reads as settings (others starting with `QUIRE_`, such as
/// the test switches, are not settings).
const ENV_KEYS: &[&str] = &["data", "database_url", "bind", "site_name"];

impl Config {
    /// Loads the layers. A named config file must exist.
    pub fn load(file: Option<&Path>, flags: Overrides) -> Result<Config, String> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            if !file.is_file() {
                return Err(format!("config file {} does not exist", file.display()));
            }
            figment = figment.merge(Toml::file(file));
        }
        figment = figment
            .merge(Env::prefixed("QUIRE_").only(ENV_KEYS))
            .merge(Serialized::defaults(flags));
        figment
            .extract()
            .map_err(|e| format!("invalid configuration: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_the_file_which_overrides_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("quire.toml");
        std::fs::write(
            &file,
            "bind = \"127.0.0.1:9000\"\nsite_name = \"Hollowmere\"\n",
        )
        .unwrap();
        let config = Config::load(
            Some(&file),
            Overrides {
                data: Some("elsewhere".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(config.bind.port(), 9000);
        assert_eq!(config.site_name, "Hollowmere");
        assert_eq!(config.data, PathBuf::from("elsewhere"));
    }

    #[test]
    fn bad_files_are_reported_in_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("quire.toml");
        std::fs::write(&file, "bind = \"not an address\"\n").unwrap();
        let err = Config::load(Some(&file), Overrides::default()).unwrap_err();
        assert!(err.starts_with("invalid configuration"), "{err}");
        assert!(!err.contains('\n'), "{err}");
        let missing = Config::load(Some(&dir.path().join("nope.toml")), Overrides::default());
        assert!(missing.unwrap_err().contains("does not exist"));
        std::fs::write(&file, "colour = \"blue\"\n").unwrap();
        assert!(
            Config::load(Some(&file), Overrides::default()).is_err(),
            "unknown keys are errors"
        );
    }
}
