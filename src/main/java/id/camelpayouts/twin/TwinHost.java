package id.camelpayouts.twin;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

/**
 * What the twins need from the application they run in: Vert.x (their HTTP servers), and the
 * application's platform-http server for their callbacks. Both come with camel-platform-http-main,
 * which a host embedding the library adds only if it wants them: this class is the only place
 * that names them, and it is used only with payouts.twin.enabled=true (Camel Main reflects over a
 * configuration class's methods, so no configuration class may name them).
 */
public final class TwinHost {

    private TwinHost() {
    }

    /** Refuses to start the twins, with what to add, when this application has no Vert.x. */
    public static void requireVertx(CamelContext context) {
        if (context.getClassResolver().resolveClass("io.vertx.core.Vertx") == null) {
            throw new IllegalStateException("payouts.twin.enabled=true: the provider twin runs on Vert.x, which"
                    + " this application does not have: add org.apache.camel:camel-platform-http-main (the HTTP"
                    + " server the callback blocks need too) or turn the twin off");
        }
    }

    /**
     * Once the application's platform-http server on {@code port} (camel.server.port) is listening,
     * the twins send their callbacks to it, at the paths where the receivers are mounted.
     */
    public static void sendCallbacksTo(CamelContext started, int port, DuitkuTwin duitku, String duitkuPath,
            DurianpayTwin durianpay, String durianpayPath) {
        started.hasServices(VertxPlatformHttpServer.class).stream()
                .filter(server -> server.getConfigurationPort() == port).findFirst().ifPresent(server -> {
                    String host = "http://127.0.0.1:" + server.getServer().actualPort();
                    duitku.callbacksTo(host + duitkuPath);
                    durianpay.notifyTo(host + durianpayPath);
                });
    }
}
