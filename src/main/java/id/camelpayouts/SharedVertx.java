package id.camelpayouts;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * One Vert.x for every HTTP server of the application: the API's and the management port's
 * (camel-platform-http-main takes the Vertx bound in the registry instead of creating one each)
 * and the twins'. Each Vert.x instance has event loops, a worker pool and a blocked-thread checker
 * of its own: four of them were started before the gateway was ready. The application's own
 * Vertx, if it binds one, is used as it is; one made here is closed after the context has stopped
 * (after the servers on it), or by the twin when the configuration fails after it started
 * ({@link TwinConfiguration#stop}). Not a configuration class: only called when Vert.x is present.
 */
final class SharedVertx {

    static final String NAME = "payoutsVertx";

    private SharedVertx() {
    }

    static Vertx of(CamelContext context) {
        Vertx bound = context.getRegistry().findSingleByType(Vertx.class);
        if (bound != null) {
            return bound;
        }
        Vertx vertx = Vertx.vertx();
        context.getRegistry().bind(NAME, vertx);
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                close(vertx);
            }
        });
        return vertx;
    }

    /** Closes the Vert.x {@link #of} made (not one the application bound), if it made one. */
    static void closeIfMadeHere(CamelContext context) {
        if (context.getRegistry().lookupByName(NAME) instanceof Vertx made) {
            close(made);
        }
    }

    private static void close(Vertx vertx) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception notClosed) {
            // the process is stopping: its threads end with it
        }
    }
}
