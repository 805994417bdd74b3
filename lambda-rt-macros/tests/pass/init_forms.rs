//! Every accepted form of `#[init]`: async or not, `Result` or plain return.
#![deny(warnings, unsafe_code)]

use std::any::TypeId;

use lambda_fn::__private::InitRegistration;
use lambda_fn::{Error, init};

pub struct Db {
    pub url: String,
}

pub struct Settings(pub u32);

#[derive(Debug)]
pub struct Client;

pub struct Cache(pub Vec<u8>);

#[init]
async fn connect() -> Result<Db, Error> {
    Ok(Db {
        url: "postgres://".into(),
    })
}

/// Attributes stay on the function.
#[init]
#[inline]
pub fn settings() -> Settings {
    Settings(3)
}

#[init]
pub(crate) async fn client() -> Client {
    Client
}

#[init]
fn cache() -> std::result::Result<Cache, std::num::ParseIntError> {
    Ok(Cache(vec!["7".parse()?]))
}

fn registration<T: 'static>() -> &'static InitRegistration {
    lambda_fn::__private::inventory::iter::<InitRegistration>()
        .find(|i| (i.type_id)() == TypeId::of::<T>())
        .unwrap_or_else(|| panic!("no #[init] for {}", std::any::type_name::<T>()))
}

fn main() {
    // Still plain functions.
    let _ = connect();
    assert_eq!(settings().0, 3);
    let _ = client();
    assert_eq!(cache().map(|c| c.0).ok(), Some(vec![7]));
    let _ = Db { url: String::new() }.url;

    assert_eq!(lambda_fn::__private::inventory::iter::<InitRegistration>().count(), 4);
    let db = registration::<Db>();
    assert_eq!(db.state_type, "Db");
    assert_eq!(db.module, module_path!());
    assert!(db.file.ends_with("init_forms.rs"), "{}", db.file);
    assert_eq!(db.line, 21);
    assert_eq!(registration::<Settings>().state_type, "Settings");
    assert_eq!(registration::<Settings>().line, 30);
    assert_eq!(registration::<Client>().state_type, "Client");
    assert_eq!(registration::<Cache>().state_type, "Cache");
    lambda_fn::check_registrations().unwrap_or_else(|e| panic!("{e}"));
}
