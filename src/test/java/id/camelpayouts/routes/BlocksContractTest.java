package id.camelpayouts.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The blocks' parameters are a public contract: hosts' routes name them. Removing, renaming or
 * changing whether one is required fails here, as does a parameter the README's table of blocks
 * does not document, a block or parameter without its description (and example), or a
 * placeholder in a block that is neither a parameter nor a setting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlocksContractTest {

    /** block → parameter → "required" or its default. */
    private static final Map<String, Map<String, String>> CONTRACT = Map.of(
            "payout-submit", ordered("source", "required", "refusedUri", "log:id.camelpayouts.refused?level=OFF",
                    "intake", "block"),
            "payout-outcomes", ordered("channel", "required", "destination", "required", "period", "200",
                    "batchSize", "1000", "enabled", "true", "delivery", "payoutsOneOutcomeAtATime"),
            "duitku-callbacks", ordered("path", "/callbacks/duitku"),
            "durianpay-notifications", ordered("path", "/callbacks/durianpay"));

    private final Map<String, RouteTemplateDefinition> blocks = new TreeMap<>();

    /** The blocks as a host gets them: from the jar's classpath location, read by Camel itself. */
    @BeforeAll
    void loadBlocksFromTheJarLocation() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            List<Resource> resources = new ArrayList<>(PluginHelper.getPackageScanResourceResolver(context)
                    .findResources("classpath:camel-payouts/blocks/*.camel.yaml"));
            PluginHelper.getRoutesLoader(context).loadRoutes(resources);
            for (RouteTemplateDefinition template : context.getCamelContextExtension().getContextPlugin(Model.class)
                    .getRouteTemplateDefinitions()) {
                blocks.put(template.getId(), template);
            }
        }
    }

    @Test
    void everyBlockHasExactlyItsDocumentedParameters() {
        Map<String, Map<String, String>> actual = new TreeMap<>();
        blocks.forEach((id, template) -> actual.put(id, parameters(template)));
        assertThat(actual).isEqualTo(new TreeMap<>(CONTRACT));
    }

    /** Kamelet-style: the block has a title and description, each parameter a description with an example. */
    @Test
    void everyParameterIsDescribedAndUsedAndEveryPlaceholderIsAParameterOrASetting() throws Exception {
        for (String id : CONTRACT.keySet()) {
            String yaml = Files.readString(Path.of("routes", "blocks", id + ".camel.yaml"));
            assertThat(blocks.get(id).getDescription()).as(id + " described, title first").matches("[A-Z][^.]+\\. .+");
            for (RouteTemplateParameterDefinition parameter : blocks.get(id).getTemplateParameters()) {
                assertThat(parameter.getDescription()).as(id + "." + parameter.getName() + " described, with an example")
                        .contains("Example: ");
                assertThat(yaml).as(id + "." + parameter.getName() + " used").contains("{{" + parameter.getName() + "}}");
            }
            Matcher placeholder = Pattern.compile("\\{\\{([^}]+)}}").matcher(yaml);
            while (placeholder.find()) {
                String name = placeholder.group(1);
                assertThat(CONTRACT.get(id).containsKey(name) || name.matches("(payouts|duitku|durianpay)\\..+"))
                        .as(id + " placeholder {{" + name + "}} is a parameter or a payouts/provider setting").isTrue();
            }
        }
    }

    /** README: "| `block` | `parameter` | required or `default` | meaning |" rows of the blocks table. */
    @Test
    void theReadmeDocumentsEveryParameterAsItIs() throws Exception {
        Map<String, Map<String, String>> documented = new TreeMap<>();
        Pattern row = Pattern.compile("^\\| `([a-z-]+)` \\| `([A-Za-z]+)` \\| (required|`([^`]*)`) \\|.*");
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher m = row.matcher(line);
            if (m.matches() && CONTRACT.containsKey(m.group(1))) {
                documented.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>())
                        .put(m.group(2), m.group(4) == null ? "required" : m.group(4));
            }
        }
        assertThat(documented).isEqualTo(new TreeMap<>(CONTRACT));
    }

    private static Map<String, String> parameters(RouteTemplateDefinition template) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (RouteTemplateParameterDefinition p : template.getTemplateParameters()) {
            parameters.put(p.getName(), p.isRequired() && p.getDefaultValue() == null ? "required" : p.getDefaultValue());
        }
        return parameters;
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
