//! Passwords: argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), hashed off the
//! async threads, and the rules a new password must meet.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::AppError;

/// Shortest password accepted (NIST SP 800-63B asks for at least 8).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password accepted: hashing a megabyte on every log-in attempt is a cheap attack.
pub const MAX_PASSWORD_CHARS: usize = 200;

fn argon2() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| AppError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Why a new password is refused, as the form shows it; `None` when it is fine.
pub fn weakness(password: &str, login: &str) -> Option<String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Some(format!(
            "The password must be at least {MIN_PASSWORD_CHARS} characters long."
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Some(format!(
            "The password must be at most {MAX_PASSWORD_CHARS} characters long."
        ));
    }
    if password.eq_ignore_ascii_case(login) {
        return Some("The password must not be the same as the user name.".to_owned());
    }
    None
}

/// The argon2id PHC string of `password`, computed on a blocking thread.
pub async fn hash(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(|e| AppError::Internal(format!("password hashing stopped: {e}")))?
}

/// [`hash`] on the calling thread (the command line).
pub fn hash_now(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| AppError::Internal(format!("no randomness from the system: {e}")))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| AppError::Internal(format!("password salt: {e}")))?;
    Ok(argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| AppError::Internal(format!("password hashing: {e}")))?
        .to_string())
}

/// Whether `password` matches the stored PHC string; a missing or unreadable hash matches
/// nothing. When there is no hash, a dummy one is checked all the same, so that the answer
/// takes as long for an unknown login as for a wrong password.
pub async fn verify(stored: Option<String>, password: &str) -> bool {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let Ok(argon2) = argon2() else {
            return false;
        };
        let (phc, real) = match stored {
            Some(phc) => (phc, true),
            None => (DUMMY.to_owned(), false),
        };
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        argon2.verify_password(password.as_bytes(), &parsed).is_ok() && real
    })
    .await
    .unwrap_or(false)
}

/// The hash of a password nobody has, checked when the account has none.
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$cXVpcmVkdW1teXNhbHQ$\
                     +2C5Uk4cI0x6QsBrS1dNKQ3pXOSbl3mDvY7H2b1sYyE";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_matches_its_hash_and_nothing_else() {
        let phc = hash("lanterns of hollowmere").await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify(Some(phc.clone()), "lanterns of hollowmere").await);
        assert!(!verify(Some(phc), "lanterns of hollowmerE").await);
        assert!(!verify(None, "anything").await);
        assert!(!verify(Some("not a hash".into()), "anything").await);
    }

    #[test]
    fn short_long_and_login_passwords_are_refused() {
        assert!(weakness("short", "mira").is_some());
        assert!(weakness(&"x".repeat(201), "mira").is_some());
        assert!(weakness("MiraMira1", "miramira1").is_some());
        assert!(weakness("a long enough phrase", "mira").is_none());
    }
}
