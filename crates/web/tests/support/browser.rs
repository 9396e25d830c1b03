//! `Browser`: a client that keeps cookies and fills in forms as a person would, taking the
//! CSRF token from the form it submits.
#![allow(dead_code)]

use std::collections::BTreeMap;

use super::{Page, TestApp};

/// A password every test account uses.
pub const PASSWORD: &str = "lanterns of hollowmere";

pub struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    jar: BTreeMap<String, String>,
    /// The `Set-Cookie` headers of the last response, whole.
    pub last_set_cookies: Vec<String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Browser<'a> {
        Browser {
            app,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            jar: BTreeMap::new(),
            last_set_cookies: Vec::new(),
        }
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.jar.get(name).map(String::as_str)
    }

    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.jar.insert(name.to_owned(), value.to_owned());
    }

    fn cookie_header(&self) -> String {
        self.jar
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn read(&mut self, response: reqwest::Response) -> Page {
        self.last_set_cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for set in self.last_set_cookies.clone() {
            let pair = set.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if set.contains("Max-Age=0") || value.is_empty() {
                self.jar.remove(name);
            } else {
                self.jar.insert(name.to_owned(), value.to_owned());
            }
        }
        Page {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let response = self
            .client
            .get(format!("{}{path}", self.app.base))
            .header("Cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    /// POSTs exactly these fields (no token added).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let response = self
            .client
            .post(format!("{}{path}", self.app.base))
            .header("Cookie", self.cookie_header())
            .form(fields)
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    /// Opens `page`, finds the form posting to `action`, and submits it with these fields
    /// and the form's CSRF token.
    pub async fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let shown = self.get(page).await;
        assert_eq!(shown.status, 200, "{page}: {}", shown.body);
        let token = form_token(&shown.body, action);
        let mut all = vec![("authenticity_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    pub async fn sign_up(&mut self, login: &str) -> Page {
        let email = format!("{login}@example.org");
        let page = self
            .submit(
                "/users/new",
                "/users",
                &[
                    ("login", login),
                    ("email", &email),
                    ("password", PASSWORD),
                    ("password_confirmation", PASSWORD),
                ],
            )
            .await;
        assert_eq!(page.status, 303, "sign-up failed: {}", page.body);
        page
    }

    /// An admin account, made as `quire user add --admin` makes it, signed in.
    pub async fn admin(app: &'a TestApp, login: &str) -> Browser<'a> {
        app.store()
            .create_user(&quire_store::NewUser {
                login: login.into(),
                email: Some(format!("{login}@example.org")),
                password_hash: Some(quire_web::auth::password::hash(PASSWORD).await.unwrap()),
                is_admin: true,
                pseuds: vec![],
            })
            .await
            .unwrap();
        let mut browser = Browser::new(app);
        let page = browser.log_in(login, PASSWORD).await;
        assert_eq!(page.status, 303, "{}", page.body);
        browser
    }

    pub async fn log_in(&mut self, login: &str, password: &str) -> Page {
        self.submit(
            "/users/login",
            "/users/login",
            &[("login", login), ("password", password)],
        )
        .await
    }

    pub async fn log_out(&mut self) -> Page {
        self.submit("/", "/users/logout", &[]).await
    }
}

/// The `authenticity_token` of the form whose action is `action`.
pub fn form_token(body: &str, action: &str) -> String {
    let form = body
        .find(&format!(r#"action="{action}""#))
        .unwrap_or_else(|| panic!("no form posts to {action}:\n{body}"));
    let rest = &body[form..];
    let field = rest
        .find(r#"name="authenticity_token" value=""#)
        .expect("the form has a token");
    let value = &rest[field + r#"name="authenticity_token" value=""#.len()..];
    value[..value.find('"').unwrap()].to_owned()
}
