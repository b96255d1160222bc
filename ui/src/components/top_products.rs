//! The period's best sellers: units and revenue per product.

use std::rc::Rc;

use sellerdash_api::TopProduct;
use yew::prelude::*;

use crate::format;

#[derive(Properties, PartialEq)]
pub struct TopProductsProps {
    pub products: Rc<Vec<TopProduct>>,
}

#[component]
pub fn TopProducts(props: &TopProductsProps) -> Html {
    let rows = props.products.iter().enumerate().map(|(i, product)| {
        html! {
            <tr key={product.product_id.clone()}>
                <td class="rank">{i + 1}</td>
                <td class="name" title={product.name.clone()}>{product.name.clone()}</td>
                <td class="num">{format::count(product.units)}</td>
                <td class="num strong">{product.revenue.to_string()}</td>
            </tr>
        }
    });
    html! {
        <section class="card" aria-labelledby="top-title">
            <div class="card-head"><h2 id="top-title">{"Top products"}</h2></div>
            if props.products.is_empty() {
                <p class="muted">{"No sales in this period yet."}</p>
            } else {
                <table class="table">
                    <thead>
                        <tr>
                            <th class="rank">{"#"}</th>
                            <th>{"Product"}</th>
                            <th class="num">{"Units"}</th>
                            <th class="num">{"Revenue"}</th>
                        </tr>
                    </thead>
                    <tbody>{for rows}</tbody>
                </table>
            }
        </section>
    }
}
