package id.camelpayouts.api;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * What a browser's cache or a proxy may keep, said by the HTTP server itself: a route cannot say
 * it, since Camel's HTTP header filter drops a Cache-Control header a route sets (the console's
 * no-cache never reached a browser).
 * <ul>
 * <li>/api: {@code no-store}. Payouts name people and accounts, a cash out's carries its token and
 * PIN, and the key travels in X-API-Key, which a proxy or a browser's cache does not know as a
 * credential (as it knows Authorization): either could keep an answer and hand it to the next
 * person who asks for the same address.</li>
 * <li>/console: {@code no-cache}. Its files hold no data; the browser keeps them and asks with
 * their ETag at every use, so a new version is never missed.</li>
 * </ul>
 * Set just before the headers go out, so that it holds for every answer: a route's, a refusal
 * (401, 403), the HTTP server's own (404, 405, 413).
 */
public final class CacheControl {

    private CacheControl() {
    }

    public static void installOn(CamelContext context, int configuredPort) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(configuredPort));
        if (router == null) {
            return; // no platform-http server of ours
        }
        say(router, "/api/*", "no-store");
        say(router, "/console/*", "no-cache");
    }

    private static void say(VertxPlatformHttpRouter router, String paths, String policy) {
        router.route(paths).order(Integer.MIN_VALUE).handler(request -> {
            request.addHeadersEndHandler(sent -> request.response().headers().set("Cache-Control", policy));
            request.next();
        });
    }
}
