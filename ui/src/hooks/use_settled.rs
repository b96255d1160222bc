//! Buttons that act on an order must not act on the order that slid under the pointer. Rows
//! move when an order arrives above or leaves, and so does everything below a banner that
//! comes or goes (an error, a stale warning that takes two lines): [`use_settled`] follows
//! where an element sits on the page, and a click counts only when the element has stayed
//! put for [`SETTLE`] and is still where it was last drawn.
//!
//! The position is read after every render (a pending row renders at least once a second,
//! for its age) and again at the click itself, so a move that no render saw yet still
//! counts: the click that found it is ignored, and so are the next ones for [`SETTLE`].

use std::cell::Cell;
use std::rc::Rc;

use chrono::{DateTime, TimeDelta, Utc};
use yew::prelude::*;

use crate::time;

/// How long an element that moved ignores clicks.
pub const SETTLE: TimeDelta = TimeDelta::milliseconds(700);

/// Moves of at most this many pixels (sub-pixel layout, rounding) are no move.
const TOLERANCE_PX: i64 = 1;

/// Where the element last was (page coordinates, whole pixels) and when it last moved.
#[derive(Debug, Clone, Copy)]
struct Place {
    top: Option<i64>,
    moved_at: DateTime<Utc>,
}

/// The click check of one element; cheap to clone into callbacks.
#[derive(Clone)]
pub struct Settled {
    node: NodeRef,
    place: Rc<Cell<Place>>,
}

impl Settled {
    /// Records where the element is at `now`; a new place is a move.
    fn observe(&self, now: DateTime<Utc>) -> bool {
        let Some(top) = page_top(&self.node) else {
            return false;
        };
        let place = self.place.get();
        let moved = place
            .top
            .is_none_or(|last| top.abs_diff(last) > TOLERANCE_PX.unsigned_abs());
        if moved {
            self.place.set(Place {
                top: Some(top),
                moved_at: now,
            });
        }
        moved
    }

    /// Whether a click now lands where the seller aimed: the element is where it was last
    /// seen and has not moved for [`SETTLE`].
    pub fn check(&self) -> bool {
        let now = time::now();
        !self.observe(now) && now - self.place.get().moved_at >= SETTLE
    }
}

/// Follows the element behind `node` (set it as the `ref` of the row or card that moves).
#[hook]
pub fn use_settled(node: NodeRef) -> Settled {
    let place = use_memo((), |()| {
        Cell::new(Place {
            top: None,
            moved_at: time::now(),
        })
    });
    let settled = Settled {
        node,
        place: Rc::clone(&place),
    };
    {
        let settled = settled.clone();
        use_effect(move || {
            settled.observe(time::now());
        });
    }
    settled
}

/// The element's top edge in page coordinates, in whole pixels (scrolling the page is not a
/// move).
#[allow(clippy::cast_possible_truncation)] // pixel offsets of a page, far inside i64
fn page_top(node: &NodeRef) -> Option<i64> {
    let element = node.cast::<web_sys::Element>()?;
    let scrolled = web_sys::window()?.scroll_y().ok()?;
    Some(element.get_bounding_client_rect().top().round() as i64 + scrolled.round() as i64)
}
