//! The `tokens` command only reads: a missing or empty file is an error and stays as it
//! was, and the demo admin token is printed only for the demo store.

use std::process::{Command, Output};

use crate::common::{demo_server, plain_server};

fn tokens(db: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sellerdash-server"))
        .args(["tokens", "--db"])
        .arg(db)
        .env("RUST_LOG", "warn")
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap()
}

#[tokio::test]
async fn tokens_only_reads_and_knows_the_demo_store() {
    let demo = demo_server().await;
    demo.server.shutdown().await;
    let out = tokens(&demo.db);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("token demo-seller-token"), "{stdout}");
    assert!(stdout.contains("demo-admin-token"), "{stdout}");

    let plain = plain_server().await;
    plain.server.shutdown().await;
    let out = tokens(&plain.db);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("demo-admin-token"), "{stdout}");
    assert!(stdout.contains("not in the database"), "{stdout}");

    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.db");
    let out = tokens(&missing);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"));
    assert!(!missing.exists(), "tokens created a database");

    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let out = tokens(&empty);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not a seller API database"), "{stderr}");
    assert_eq!(
        std::fs::metadata(&empty).unwrap().len(),
        0,
        "no schema written"
    );
}
