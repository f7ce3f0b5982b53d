package id.camelpayouts;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * Runs the standalone gateway: Camel Main with the top-level {@code application.properties} and
 * the YAML routes under {@code routes/}. Start it from the repository root.
 */
public final class PayoutsApplication {

    /** The gateway's logging configuration (Log4j 2), beside application.properties. */
    static final String LOGGING_CONFIGURATION = "log4j2.properties";

    private PayoutsApplication() {
    }

    public static void main(String... args) throws Exception {
        useGatewayLogging();
        // Configuration added explicitly, not by package scanning (which would configure it twice).
        Main main = new Main();
        main.configure().addConfiguration(GatewayConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation("file:application.properties");
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport configured) {
                // Before Camel Main first reads routes/gateway (auto-configuration).
                try {
                    YamlRoutesParsedOnce.install(configured.getCamelContext());
                } catch (Exception e) {
                    throw new IllegalStateException("YAML routes loader", e);
                }
            }
        });
        try {
            main.run(args);
        } catch (Exception notStarted) {
            // The start failed (e.g. a route file that cannot be built) after the broker and the HTTP
            // servers' Vert.x were started: their threads are not daemons and would keep a process that
            // serves nothing alive. It ends with an error instead, for its supervisor to see.
            org.slf4j.LoggerFactory.getLogger(PayoutsApplication.class).error("The gateway did not start", notStarted);
            System.exit(1);
        }
        // Camel Main's run has returned (e.g. its maximum duration reached, as in the class data sharing
        // training run of `mvn package`): the process ends now. Idle threads of Artemis' in-VM
        // connector are not daemons and would hold it open for another minute.
        System.exit(main.getExitCode());
    }

    /**
     * The jar is also a library and ships no logging configuration (it would configure a host's
     * logging): the gateway names its own file, before the first logger is created, unless the
     * user named one (-Dlog4j2.configurationFile or LOG4J_CONFIGURATION_FILE).
     */
    static void useGatewayLogging() {
        boolean named = System.getProperty("log4j2.configurationFile") != null
                || System.getProperty("log4j.configurationFile") != null
                || System.getenv("LOG4J_CONFIGURATION_FILE") != null;
        Path file = Path.of(LOGGING_CONFIGURATION).toAbsolutePath();
        if (!named && Files.isRegularFile(file)) {
            System.setProperty("log4j2.configurationFile", file.toString());
        }
        // One logging context for the whole process: Log4j's default selector finds the caller's
        // class loader by walking the stack at every getLogger (4% of the main thread's start).
        defaultProperty("log4j2.contextSelector", "LOG4J_CONTEXT_SELECTOR", "org.apache.logging.log4j.core.selector.BasicContextSelector");
        // No MBeans for Log4j's contexts and appenders: nothing reads them (the gateway runs without JMX).
        defaultProperty("log4j2.disableJmx", "LOG4J_DISABLE_JMX", "true");
    }

    /** Sets a Log4j setting unless the user gave it (system property or environment variable). */
    private static void defaultProperty(String name, String environmentName, String value) {
        if (System.getProperty(name) == null && System.getenv(environmentName) == null) {
            System.setProperty(name, value);
        }
    }
}
