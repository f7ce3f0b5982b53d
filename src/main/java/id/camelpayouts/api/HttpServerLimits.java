package id.camelpayouts.api;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import id.camelpayouts.input.LogSafe;

/**
 * Time limits on the API's and callbacks' HTTP server, which Camel's platform-http server does not
 * set (it has none: a connection that sends nothing, or a request whose body never ends, was held
 * open for ever, a socket and a file descriptor each, so a few thousand of them took the gateway's
 * last file descriptor from its ledger, inbox and broker):
 * <ul>
 * <li>idle timeout: a connection on which nothing is read or written for this long is closed
 * (an idle keep-alive connection, one that sends its headers slowly or stops sending);</li>
 * <li>request timeout: a request whose body has not fully arrived this long after its headers is
 * closed (a body sent a byte at a time). The time the gateway then takes to answer is not limited
 * here.</li>
 * </ul>
 * The server is made by camel-platform-http with options of its own; the idle timeout is set on
 * them once the server exists, before it takes the first request's connection that matters (any
 * connection it accepted meanwhile, at startup, is the only one without it).
 */
public final class HttpServerLimits {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerLimits.class);

    private HttpServerLimits() {
    }

    public static void installOn(CamelContext context, int configuredPort, Duration idleTimeout, Duration requestTimeout) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(configuredPort));
        if (router == null) {
            return; // no platform-http server of ours
        }
        HttpServer server = router.getServer() == null ? null : router.getServer().getServer();
        if (server == null || !idleTimeout(server, idleTimeout)) {
            LOG.warn("The HTTP server's idle timeout could not be set: idle connections are not closed by the"
                    + " gateway (put a proxy with timeouts in front of it)");
        }
        Vertx vertx = router.vertx();
        long limit = requestTimeout.toMillis();
        router.route().order(Integer.MIN_VALUE).handler(request -> {
            if (!request.request().isEnded()) {
                long timer = vertx.setTimer(limit, fired -> closeIfStillArriving(request, limit));
                request.addEndHandler(ended -> vertx.cancelTimer(timer));
            }
            request.next();
        });
    }

    private static void closeIfStillArriving(RoutingContext request, long limit) {
        if (!request.request().isEnded() && !request.response().ended()) {
            LOG.warn("An HTTP request to {} was closed: its body had not arrived {} ms after its headers",
                    LogSafe.text(request.normalizedPath(), 100), limit);
            request.request().connection().close();
        }
    }

    /** Sets the idle timeout on the running server's own options (read for each new connection). */
    private static boolean idleTimeout(HttpServer server, Duration idleTimeout) {
        for (Class<?> type = server.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField("options");
                field.setAccessible(true);
                if (field.get(server) instanceof HttpServerOptions options) {
                    options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setIdleTimeout((int) idleTimeout.toMillis());
                    return true;
                }
            } catch (NoSuchFieldException notHere) {
                // its superclass may have it
            } catch (ReflectiveOperationException | RuntimeException refused) {
                return false;
            }
        }
        return false;
    }
}
