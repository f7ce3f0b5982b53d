package id.camelpayouts.duitku;

import java.util.Locale;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Duitku's callbacks are JSON (its disbursement documentation, https://docs.duitku.com/disbursement/en/:
 * "Type: application/json"; its merchant sample reads the raw body whatever the label). A sender
 * that labels that JSON as a form (application/x-www-form-urlencoded, which PHP's curl puts on a
 * string body unless told otherwise) had its body taken by the HTTP server as a form's fields, and
 * the receiver saw an empty body: a genuine callback refused. On the Duitku callback receivers'
 * paths only, such a request is relabelled as JSON before the server reads its body; a true form
 * is then not JSON, and refused as before.
 */
public final class CallbackJsonLabel {

    private static final String FORM = "application/x-www-form-urlencoded";

    private CallbackJsonLabel() {
    }

    public static void installOn(CamelContext context, int configuredPort) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(configuredPort));
        if (router == null) {
            return; // no platform-http server of ours
        }
        for (Route route : context.getRoutes()) {
            // a Duitku callback receiver (routes/blocks/duitku-callbacks.camel.yaml) names CallbackHeaders
            if (route.getEndpoint() instanceof PlatformHttpEndpoint receiver
                    && receiver.getEndpointUri().contains(CallbackHeaders.NAME)) {
                router.route(receiver.getPath() + "/*").order(Integer.MIN_VALUE).handler(request -> {
                    String type = request.request().getHeader("Content-Type");
                    if (type != null && type.trim().toLowerCase(Locale.ROOT).startsWith(FORM)) {
                        request.request().headers().set("Content-Type", "application/json");
                    }
                    request.next();
                });
            }
        }
    }
}
