package id.camelpayouts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.apache.camel.CamelContext;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.apache.camel.impl.engine.DefaultRoutesLoader;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Camel's YAML routes loader, without its second parse of every file. Before loading a YAML file,
 * Camel parses it once more ("pre-parse") only to find inline {@code beans:} and Camel K
 * {@code apiVersion} documents (an Integration's or a Pipe's configuration); the routes under
 * routes/ have neither, and that parse was 6% of the main thread's start (issue 17). A file that
 * mentions either word anywhere is still pre-parsed as before.
 */
public final class YamlRoutesParsedOnce extends YamlRoutesBuilderLoader {

    /** Used by every YAML load of {@code context} from now on (Camel looks this name up first). */
    public static void install(CamelContext context) throws Exception {
        YamlRoutesParsedOnce loader = new YamlRoutesParsedOnce();
        loader.setCamelContext(context);
        ServiceHelper.startService(loader);
        context.addService(loader, true, false);
        context.getRegistry().bind(DefaultRoutesLoader.ROUTES_LOADER_KEY_PREFIX + EXTENSION, loader);
    }

    @Override
    public void preParseRoute(Resource resource) throws Exception {
        if (mayNeedPreParse(resource)) {
            super.preParseRoute(resource);
        }
    }

    static boolean mayNeedPreParse(Resource resource) throws IOException {
        if (!resource.exists()) {
            return true; // Camel's own message for a missing file
        }
        try (InputStream in = resource.getInputStream()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.contains("beans") || text.contains("apiVersion");
        }
    }
}
