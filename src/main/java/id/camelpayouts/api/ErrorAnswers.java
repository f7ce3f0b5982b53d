package id.camelpayouts.api;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Variable;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error answers as JSON, always written by a JSON writer (nothing from the request is pasted into
 * a template): {@code {"error": "..."}}, for the API's routes and for the answers the HTTP server
 * gives before any route runs: 405 (with the methods the path takes in {@code Allow}) and 413
 * (a body over {@code camel.server.max-body-size}), and 404 for a path no route serves. A client
 * that leaves before its answer gets none and is not logged (only at DEBUG).
 */
public class ErrorAnswers {

    public static final String JSON_UTF8 = "application/json; charset=utf-8";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);

    /** The error body for the API's routes (marshalled by the route). */
    public Map<String, Object> error(@Variable("error") String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", message);
        return error;
    }

    /**
     * Gives the server's own 404, 405 and 413 answers a JSON body (and 405 a true Allow header): a
     * last route on the platform-http router answers what no route took (405 where a route
     * serves the path with other methods, else 404), and a failure handler a body over the limit.
     */
    public static void installOn(CamelContext context, int configuredPort, long maxBodySize) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(configuredPort));
        if (router == null) {
            return; // no platform-http server of ours
        }
        PlatformHttpComponent http = context.getComponent("platform-http", PlatformHttpComponent.class);
        router.route().last().handler(request -> {
            TreeSet<String> allowed = allowedMethods(http, request.normalizedPath());
            if (allowed.isEmpty()) {
                answer(request, 404, "no such path");
                return;
            }
            request.response().putHeader("Allow", String.join(", ", allowed));
            answer(request, 405, "method not allowed: use " + String.join(", ", allowed));
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(request -> {
            if (request.statusCode() == 413) {
                answer(request, 413, "request body larger than " + maxBodySize + " bytes");
            } else if (request.failure() instanceof HttpClosedException) {
                // the client left (in the middle of its body, or after a 413 closed it): nothing to
                // answer, and nothing to report, at ERROR with its exception, each time anyone does
                LOG.debug("An HTTP client closed its connection before its request was answered");
            } else {
                request.next();
            }
        });
    }

    static void answer(RoutingContext request, int status, String message) {
        if (request.response().ended()) {
            return;
        }
        try {
            byte[] body = JSON.writeValueAsBytes(Map.of("error", message));
            request.response().setStatusCode(status).putHeader("Content-Type", JSON_UTF8)
                    .end(io.vertx.core.buffer.Buffer.buffer(body));
        } catch (JsonProcessingException impossible) {
            request.response().setStatusCode(status).end();
        }
    }

    /** The methods the routes take at this path (a template such as /api/payouts/{reference}, or a prefix). */
    static TreeSet<String> allowedMethods(PlatformHttpComponent http, String path) {
        TreeSet<String> methods = new TreeSet<>();
        for (HttpEndpointModel endpoint : http.getHttpEndpoints()) {
            boolean prefix = endpoint.getConsumer() != null
                    && endpoint.getConsumer().getEndpoint() instanceof PlatformHttpEndpoint platform
                    && platform.isMatchOnUriPrefix();
            String template = Pattern.quote(endpoint.getUri()).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
            if (path.matches(template + (prefix ? "(/.*)?" : "")) && endpoint.getVerbs() != null) {
                Arrays.stream(endpoint.getVerbs().split(",")).map(String::trim).forEach(methods::add);
            }
        }
        return methods;
    }
}
