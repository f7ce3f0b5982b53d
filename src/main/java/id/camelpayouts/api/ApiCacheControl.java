package id.camelpayouts.api;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Every answer under /api says {@code Cache-Control: no-store}: payouts name people and accounts,
 * a cash out's carries its token and PIN, and the key travels in X-API-Key, which a proxy or a
 * browser's cache does not know as a credential (as it knows Authorization), so without it either
 * could keep an answer and hand it to the next person who asks for the same address. Set just
 * before the headers go out, so that it holds for every answer: a route's, a refusal (401, 403),
 * the HTTP server's own (404, 405, 413).
 */
public final class ApiCacheControl {

    static final String API_PATHS = "/api/*";

    private ApiCacheControl() {
    }

    public static void installOn(CamelContext context, int configuredPort) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(configuredPort));
        if (router == null) {
            return; // no platform-http server of ours
        }
        router.route(API_PATHS).order(Integer.MIN_VALUE).handler(request -> {
            request.addHeadersEndHandler(sent -> request.response().headers().set("Cache-Control", "no-store"));
            request.next();
        });
    }
}
