package id.camelpayouts.duitku;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * The header filter of Duitku's callback receivers: none of the request's own headers becomes a
 * message header (Duitku's callback is its body, signed; the route keeps only the path, which
 * platform-http sets apart), so they are not copied per callback only to be removed by the route's
 * first steps. What the route answers is filtered as by platform-http's own (default) filter.
 */
public final class CallbackHeaders extends HttpHeaderFilterStrategy {

    /** Bound by this name; the receivers' platform-http endpoint names it as its headerFilterStrategy. */
    public static final String NAME = "payoutsDuitkuCallbackHeaders";

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }
}
