package id.camelpayouts;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

class YamlRoutesParsedOnceTest {

    private static final String ROUTE = """
            - route:
                id: greet
                from:
                  uri: direct:greet
                  steps:
                    - setBody:
                        constant: hello
            """;

    @Test
    void loadsRoutesWithTheInstalledLoader() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            YamlRoutesParsedOnce.install(context);
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("greet.camel.yaml", ROUTE));
            context.start();

            assertThat(PluginHelper.getRoutesLoader(context).getRoutesLoader("yaml"))
                    .isInstanceOf(YamlRoutesParsedOnce.class);
            assertThat(context.createProducerTemplate().requestBody("direct:greet", "", String.class))
                    .isEqualTo("hello");
        }
    }

    @Test
    void aFileWithInlineBeansIsStillPreParsed() throws Exception {
        String withBeans = """
                - beans:
                    - name: greetings
                      type: java.util.ArrayList
                """ + ROUTE;
        try (CamelContext context = new DefaultCamelContext()) {
            YamlRoutesParsedOnce.install(context);
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("beans.camel.yaml", withBeans));
            context.start();

            assertThat(context.getRegistry().lookupByName("greetings")).isInstanceOf(java.util.ArrayList.class);
        }
    }

    @Test
    void onlyFilesMentioningBeansOrApiVersionNeedThePreParse() throws Exception {
        assertThat(YamlRoutesParsedOnce.mayNeedPreParse(ResourceHelper.fromString("a.camel.yaml", ROUTE))).isFalse();
        assertThat(YamlRoutesParsedOnce.mayNeedPreParse(ResourceHelper.fromString("b.camel.yaml", "- beans: []\n")))
                .isTrue();
        assertThat(YamlRoutesParsedOnce.mayNeedPreParse(ResourceHelper.fromString("c.yaml",
                "apiVersion: camel.apache.org/v1\nkind: Integration\n"))).isTrue();
    }
}
