package id.camelpayouts.twin;

import org.apache.camel.CamelContext;

/**
 * What the twins need from the application they run in: Vert.x (their HTTP servers), which comes
 * with camel-platform-http-main, and which a host embedding the library adds only if it wants it.
 * Checked by name before anything of the twins is loaded (payouts.twin=true); no configuration
 * class may name a class of it (Camel Main reflects over a configuration class's methods).
 */
public final class TwinHost {

    private TwinHost() {
    }

    /** Refuses to start the twins, with what to add, when this application has no Vert.x. */
    public static void requireVertx(CamelContext context) {
        if (context.getClassResolver().resolveClass("io.vertx.core.Vertx") == null) {
            throw new IllegalStateException("payouts.twin=true: the provider twin runs on Vert.x, which"
                    + " this application does not have: add org.apache.camel:camel-platform-http-main (the HTTP"
                    + " server the callback blocks need too) or turn the twin off");
        }
    }
}
