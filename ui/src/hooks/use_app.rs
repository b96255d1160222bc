//! `use_app`: the app state context provided by the root component, and where an order's
//! details were opened from (so Back returns there and the header marks that tab).

use std::cell::RefCell;

use yew::prelude::*;

use crate::state::{Action, AppContext, Page};

/// The app state handle; `None` only outside `App` (in which case navigation is inert).
#[hook]
pub fn use_app() -> Option<AppContext> {
    use_context::<AppContext>()
}

thread_local! {
    /// The page that last opened an order's details, when it was not Sales: (id, page).
    static ORDER_OPENED_FROM: RefCell<Option<(String, Page)>> = const { RefCell::new(None) };
}

/// Opens order `id`'s details from `from`.
pub fn open_order_from(app: &AppContext, id: &str, from: Page) {
    ORDER_OPENED_FROM.with(|cell| *cell.borrow_mut() = Some((id.to_owned(), from)));
    app.dispatch(Action::Navigate(Page::Order(id.to_owned())));
}

/// Where order `id`'s details were opened from: the page recorded by [`open_order_from`]
/// for this id, else Sales (the orders' home).
pub fn order_opened_from(id: &str) -> Page {
    ORDER_OPENED_FROM.with(|cell| {
        cell.borrow()
            .as_ref()
            .filter(|(opened, _)| opened == id)
            .map_or(Page::Sales, |(_, page)| page.clone())
    })
}

/// The tab that is current on `page`: an order belongs to the page it was opened from.
pub fn current_tab(page: &Page) -> Page {
    match page {
        Page::Order(id) => order_opened_from(id),
        page => page.tab(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_belongs_to_the_page_that_opened_it() {
        ORDER_OPENED_FROM.with(|cell| *cell.borrow_mut() = Some(("o-1".into(), Page::Pending)));
        assert_eq!(current_tab(&Page::Order("o-1".into())), Page::Pending);
        assert_eq!(current_tab(&Page::Order("o-2".into())), Page::Sales);
        assert_eq!(current_tab(&Page::Payouts), Page::Payouts);
    }
}
