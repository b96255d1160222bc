//! The CSV export commands: the core builds the document (every page of the current sales
//! filter, or a payout history), the shell saves it in the seller's Downloads folder under a
//! name that never overwrites an earlier export, and answers where it went.

use std::path::{Path, PathBuf};

use sellerdash_api::OrderStatus;
use sellerdash_core::CsvExport;
use sellerdash_core::export::save_new_file;
use sellerdash_state::{AppError, ErrorKind, SavedExport};
use tauri::{AppHandle, Manager, Runtime, State};

use crate::Shell;

/// Overrides the folder exports are saved in (tests, or a seller who wants another place).
pub const EXPORT_DIR_ENV: &str = "SELLERDASH_EXPORT_DIR";

/// Where exports are saved: `SELLERDASH_EXPORT_DIR`, else the OS's Downloads folder, else
/// the app's data folder.
pub struct ExportDir(pub PathBuf);

impl ExportDir {
    pub fn resolve<R: Runtime>(app: &AppHandle<R>, data_dir: &Path) -> Self {
        if let Some(dir) = std::env::var_os(EXPORT_DIR_ENV).filter(|dir| !dir.is_empty()) {
            return Self(PathBuf::from(dir));
        }
        match app.path().download_dir() {
            Ok(dir) => Self(dir),
            Err(error) => {
                tracing::info!(%error, "no Downloads folder; exports go to the data folder");
                Self(data_dir.to_owned())
            }
        }
    }
}

fn save(dir: &ExportDir, stem: &str, export: CsvExport) -> Result<SavedExport, AppError> {
    let today = chrono::Local::now().date_naive();
    let path = save_new_file(&dir.0, stem, today, &export.csv).map_err(|error| {
        AppError::new(
            ErrorKind::Internal,
            format!("cannot save the export in {}: {error}", dir.0.display()),
        )
    })?;
    tracing::info!(path = %path.display(), rows = export.rows, "saved an export");
    Ok(SavedExport {
        path: path.display().to_string(),
        rows: export.rows,
    })
}

/// Saves every order of the Sales filter (statuses, search), all pages, as CSV.
#[tauri::command]
pub async fn export_sales_csv(
    statuses: Vec<OrderStatus>,
    search: String,
    shell: State<'_, Shell>,
    dir: State<'_, ExportDir>,
) -> Result<SavedExport, AppError> {
    let export = shell.core().export_sales_csv(&statuses, &search).await?;
    save(&dir, "sellerdash-sales", export)
}

/// Saves the payouts of one month of one year, one year, or all of them, as CSV.
#[tauri::command]
pub async fn export_payouts_csv(
    month: Option<u32>,
    year: Option<i32>,
    shell: State<'_, Shell>,
    dir: State<'_, ExportDir>,
) -> Result<SavedExport, AppError> {
    let export = shell.core().export_payouts_csv(month, year).await?;
    save(&dir, "sellerdash-payouts", export)
}
