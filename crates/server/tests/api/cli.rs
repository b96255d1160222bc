//! The `sellers` CLI: `sellers add` prints an id and a token that a server on the same file
//! accepts; `sellers list` shows the account (with its time zone) without its token; bad
//! input fails.

use std::process::{Command, Output};

use sellerdash_api::paths;

use crate::common::{ADMIN, TestServer, start};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sellerdash-server"))
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn field<'a>(stdout: &'a str, name: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(": "))
        .unwrap_or_else(|| panic!("no {name} in {stdout:?}"))
}

#[tokio::test]
async fn sellers_add_prints_a_working_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("deploy.db");
    let db_arg = db.to_str().unwrap();

    let out = cli(&["sellers", "list", "--db", db_arg]);
    assert!(!out.status.success(), "no database yet");
    let out = cli(&[
        "sellers",
        "add",
        "--db",
        db_arg,
        "--name",
        "Cli Shop",
        "--currency",
        "EUR",
        "--time-zone",
        "Europe/Berlin",
    ]);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let (id, token) = (field(&stdout, "id"), field(&stdout, "token"));
    assert!(id.starts_with("sel_") && token.len() >= 40, "{stdout}");

    for bad in [
        &["--name", "Shop", "--currency", "euro"][..],
        &["--name", " ", "--currency", "EUR"],
        &[
            "--name",
            "Shop",
            "--currency",
            "EUR",
            "--time-zone",
            "Berlin",
        ],
    ] {
        let mut args = vec!["sellers", "add", "--db", db_arg];
        args.extend(bad);
        let out = cli(&args);
        assert!(!out.status.success(), "{bad:?}: {out:?}");
        if bad.contains(&"Berlin") {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("time_zone"), "{stderr}");
        }
    }
    let out = cli(&[
        "sellers",
        "add",
        "--db",
        db_arg,
        "--name",
        "Shop",
        "--currency",
        "GBP",
        "--payout-schedule",
        "daily",
    ]);
    assert!(!out.status.success());

    let out = cli(&["sellers", "list", "--db", db_arg]);
    assert!(out.status.success(), "{out:?}");
    let listed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(
        listed.starts_with(&format!("{id}\tEUR\tweekly\tEurope/Berlin\t")),
        "{listed}"
    );
    assert!(listed.trim_end().ends_with("\tCli Shop"), "{listed}");
    assert!(!listed.contains(token));

    let server = start(db.clone(), false, Some(ADMIN.to_owned())).await;
    let t = TestServer {
        server,
        client: reqwest::Client::new(),
        db,
        dir,
    };
    let (status, dash) = t.get(token, paths::DASHBOARD).await;
    assert_eq!(status, 200, "{dash}");
    assert_eq!(dash["revenue"]["currency"], "EUR");
    assert_eq!(dash["time_zone"], "Europe/Berlin");
    t.server.shutdown().await;
}

#[test]
fn a_bad_database_path_is_named_once_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/dir/x.sqlite");
    let dir_arg = dir.path().to_str().unwrap();
    for (db, reason) in [
        (dir_arg, "is a directory"),
        (missing.to_str().unwrap(), "does not exist"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_sellerdash-server"))
            .args(["serve", "--demo", "--bind", "127.0.0.1:0", "--db", db])
            .env("RUST_LOG", "warn")
            .env("RUST_BACKTRACE", "0")
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.matches(db).count(), 1, "{stderr}");
        assert_eq!(stderr.matches(reason).count(), 1, "{stderr}");
        assert!(!stderr.contains("unable to open database file"), "{stderr}");
    }
}

#[test]
fn a_refused_seller_leaves_no_new_database_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db");
    let db_arg = db.to_str().unwrap();
    let out = cli(&[
        "sellers",
        "add",
        "--db",
        db_arg,
        "--name",
        "   ",
        "--currency",
        "EUR",
    ]);
    assert!(!out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("name"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}
