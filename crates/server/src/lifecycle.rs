//! The order lifecycle as pure rules: given an order's current state and a step (the
//! seller's confirm or cancel, or an [`AdminAction`]), the [`Change`] to write, or why the
//! step is not allowed now (a 409). No SQL here; the store applies the change.

use sellerdash_api::{AdminAction, DeliveryStatus, OrderStatus, PaymentMethod, PaymentStatus};

/// A change of an order's state someone asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The seller accepts a pending order.
    Confirm,
    /// The seller cancels before shipping; the reason is shown to the buyer.
    SellerCancel { reason: String },
    /// The marketplace moves the order on.
    Admin {
        action: AdminAction,
        note: Option<String>,
    },
}

/// What the rules need to know about the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderState {
    pub status: OrderStatus,
    pub payment_status: PaymentStatus,
    pub payment_method: PaymentMethod,
    pub customer_city: String,
    pub carrier: Option<String>,
}

/// A parcel handed to a carrier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipment {
    pub carrier: String,
    pub tracking_number: String,
}

/// What to write for a step. `None` fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub status: OrderStatus,
    /// The new payment status; `Paid` also sets `paid_at` to the step's time.
    pub payment_status: Option<PaymentStatus>,
    pub delivery_status: Option<DeliveryStatus>,
    pub shipment: Option<Shipment>,
    pub cancel_reason: Option<String>,
    /// Sets `completed_at` to the step's time (the order becomes payable to the seller).
    pub completes: bool,
    /// The timeline entry to append.
    pub note: Option<String>,
    /// The tracking event to append.
    pub tracking: Option<(DeliveryStatus, String)>,
}

impl Change {
    fn to(status: OrderStatus, note: impl Into<String>) -> Change {
        Change {
            status,
            payment_status: None,
            delivery_status: None,
            shipment: None,
            cancel_reason: None,
            completes: false,
            note: Some(note.into()),
            tracking: None,
        }
    }

    fn delivery(mut self, status: DeliveryStatus, description: impl Into<String>) -> Change {
        self.delivery_status = Some(status);
        self.tracking = Some((status, description.into()));
        self
    }
}

/// The change `step` makes to `order`, or the conflict message when it is not allowed now.
/// `ship` picks the carrier and tracking number when the step ships the parcel.
pub fn plan(
    step: &Step,
    order: &OrderState,
    ship: impl FnOnce() -> Shipment,
) -> Result<Change, String> {
    let from = order.status;
    match step {
        Step::Confirm if from.can_confirm() => Ok(Change::to(
            OrderStatus::Confirmed,
            "Confirmed by the seller",
        )),
        Step::Confirm => Err(format!(
            "only a pending order can be confirmed; this one is {from}"
        )),
        Step::SellerCancel { reason } => cancel(
            order,
            format!("Cancelled by the seller: {reason}"),
            Some(reason.clone()),
        ),
        Step::Admin { action, note } => admin(*action, note.as_deref(), order, ship),
    }
}

fn cancel(order: &OrderState, note: String, reason: Option<String>) -> Result<Change, String> {
    if order.status == OrderStatus::Cancelled {
        return Err("this order is already cancelled".to_owned());
    }
    if !order.status.can_cancel() {
        return Err(format!(
            "an order can be cancelled only before it ships; this one is {}",
            order.status
        ));
    }
    let mut change = Change::to(OrderStatus::Cancelled, note)
        .delivery(DeliveryStatus::Cancelled, "Cancelled before shipping");
    change.cancel_reason = reason;
    if order.payment_status == PaymentStatus::Paid {
        change.payment_status = Some(PaymentStatus::Refunded);
    }
    Ok(change)
}

fn admin(
    action: AdminAction,
    note: Option<&str>,
    order: &OrderState,
    ship: impl FnOnce() -> Shipment,
) -> Result<Change, String> {
    use OrderStatus as S;
    let from = order.status;
    let Some(to) = action.next_status(from) else {
        return Err(format!(
            "{} is not allowed on a {from} order",
            action_name(action)
        ));
    };
    let city = &order.customer_city;
    let change = match action {
        AdminAction::Pay => {
            if order.payment_status != PaymentStatus::Pending {
                return Err("the payment of this order was already received".to_owned());
            }
            let mut change = Change::to(to, "Payment received");
            change.payment_status = Some(PaymentStatus::Paid);
            change
        }
        AdminAction::Process => Change::to(to, "Preparing the parcel").delivery(
            DeliveryStatus::NotShipped,
            "The seller is preparing the parcel",
        ),
        AdminAction::Ship => {
            let shipment = ship();
            let description = format!(
                "Handed to {}, tracking number {}",
                shipment.carrier, shipment.tracking_number
            );
            let mut change =
                Change::to(to, "Shipped").delivery(DeliveryStatus::Shipped, description);
            change.shipment = Some(shipment);
            change
        }
        AdminAction::InTransit => {
            let carrier = order.carrier.as_deref().unwrap_or("the carrier");
            Change::to(to, "In transit").delivery(
                DeliveryStatus::InTransit,
                format!("In transit with {carrier} towards {city}"),
            )
        }
        AdminAction::Deliver => {
            let mut change = Change::to(S::Delivered, "Delivered")
                .delivery(DeliveryStatus::Delivered, format!("Delivered in {city}"));
            if order.payment_method == PaymentMethod::CashOnDelivery
                && order.payment_status == PaymentStatus::Pending
            {
                change.payment_status = Some(PaymentStatus::Paid);
            }
            change
        }
        AdminAction::Complete => {
            let mut change = Change::to(to, "Completed");
            change.completes = true;
            change
        }
        AdminAction::BuyerCancel => {
            let note = match note {
                Some(reason) => format!("Cancelled by the buyer: {reason}"),
                None => "Cancelled by the buyer".to_owned(),
            };
            return cancel(order, note, None);
        }
        AdminAction::Reopen => Change::to(
            to,
            match note {
                Some(reason) => format!("Changed by the buyer, to confirm again: {reason}"),
                None => "Changed by the buyer, to confirm again".to_owned(),
            },
        ),
    };
    Ok(change)
}

fn action_name(action: AdminAction) -> &'static str {
    match action {
        AdminAction::Pay => "pay",
        AdminAction::Process => "process",
        AdminAction::Ship => "ship",
        AdminAction::InTransit => "in_transit",
        AdminAction::Deliver => "deliver",
        AdminAction::Complete => "complete",
        AdminAction::BuyerCancel => "buyer_cancel",
        AdminAction::Reopen => "reopen",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(status: OrderStatus, payment_status: PaymentStatus) -> OrderState {
        OrderState {
            status,
            payment_status,
            payment_method: PaymentMethod::Card,
            customer_city: "Lyon".into(),
            carrier: None,
        }
    }

    fn parcel() -> Shipment {
        Shipment {
            carrier: "DHL".into(),
            tracking_number: "T1".into(),
        }
    }

    #[test]
    fn confirm_only_from_pending() {
        let pending = order(OrderStatus::Pending, PaymentStatus::Paid);
        assert_eq!(
            plan(&Step::Confirm, &pending, parcel).unwrap().status,
            OrderStatus::Confirmed
        );
        let confirmed = order(OrderStatus::Confirmed, PaymentStatus::Paid);
        assert!(plan(&Step::Confirm, &confirmed, parcel).is_err());
    }

    #[test]
    fn cancel_refunds_a_paid_order_and_stops_at_shipping() {
        let step = Step::SellerCancel {
            reason: "out of stock".into(),
        };
        let change = plan(
            &step,
            &order(OrderStatus::Processing, PaymentStatus::Paid),
            parcel,
        )
        .unwrap();
        assert_eq!(change.payment_status, Some(PaymentStatus::Refunded));
        assert_eq!(change.cancel_reason.as_deref(), Some("out of stock"));
        let unpaid = plan(
            &step,
            &order(OrderStatus::Pending, PaymentStatus::Pending),
            parcel,
        )
        .unwrap();
        assert_eq!(unpaid.payment_status, None);
        assert!(
            plan(
                &step,
                &order(OrderStatus::Shipped, PaymentStatus::Paid),
                parcel
            )
            .is_err()
        );
    }

    #[test]
    fn reopen_sends_a_confirmed_order_back_to_pending_only() {
        let reopen = Step::Admin {
            action: AdminAction::Reopen,
            note: Some("new address".into()),
        };
        let change = plan(
            &reopen,
            &order(OrderStatus::Confirmed, PaymentStatus::Paid),
            parcel,
        )
        .unwrap();
        assert_eq!(change.status, OrderStatus::Pending);
        assert_eq!(change.payment_status, None, "the payment stays as it was");
        assert_eq!(
            change.note.as_deref(),
            Some("Changed by the buyer, to confirm again: new address")
        );
        for from in [
            OrderStatus::Pending,
            OrderStatus::Processing,
            OrderStatus::Shipped,
            OrderStatus::Cancelled,
        ] {
            let refused = plan(&reopen, &order(from, PaymentStatus::Paid), parcel);
            assert_eq!(
                refused.map(|c| c.status),
                Err(format!("reopen is not allowed on a {from} order"))
            );
        }
    }

    #[test]
    fn admin_actions_follow_the_contract() {
        let ship = Step::Admin {
            action: AdminAction::Ship,
            note: None,
        };
        let change = plan(
            &ship,
            &order(OrderStatus::Processing, PaymentStatus::Paid),
            parcel,
        )
        .unwrap();
        assert_eq!(change.shipment, Some(parcel()));
        assert_eq!(change.delivery_status, Some(DeliveryStatus::Shipped));
        assert!(
            plan(
                &ship,
                &order(OrderStatus::Pending, PaymentStatus::Paid),
                parcel
            )
            .is_err()
        );
        let pay = Step::Admin {
            action: AdminAction::Pay,
            note: None,
        };
        assert!(
            plan(
                &pay,
                &order(OrderStatus::Pending, PaymentStatus::Paid),
                parcel
            )
            .is_err()
        );
        let paid = plan(
            &pay,
            &order(OrderStatus::Pending, PaymentStatus::Pending),
            parcel,
        )
        .unwrap();
        assert_eq!(paid.status, OrderStatus::Pending);
        let deliver = Step::Admin {
            action: AdminAction::Deliver,
            note: None,
        };
        assert!(
            plan(
                &deliver,
                &order(OrderStatus::Pending, PaymentStatus::Paid),
                parcel
            )
            .is_err()
        );
    }
}
