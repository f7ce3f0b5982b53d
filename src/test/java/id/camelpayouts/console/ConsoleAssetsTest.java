package id.camelpayouts.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which file a request path names: the console's own, a webjar's, or none (never a file outside them). */
class ConsoleAssetsTest {

    final ConsoleAssets assets = new ConsoleAssets();

    @Test
    void theConsolesPageScriptsAndTheWebjarsFiles() {
        assertThat(assets.resource("/console")).isEqualTo("console/index.html");
        assertThat(assets.resource("/console/")).isEqualTo("console/index.html");
        assertThat(assets.resource("/console/js/app.js")).isEqualTo("console/js/app.js");
        assertThat(assets.resource("/console/vendor/uplot/dist/uPlot.esm.js"))
                .isEqualTo("META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.esm.js");
        assertThat(assets.resource("/console/vendor/swagger-ui/swagger-ui-bundle.js"))
                .isEqualTo("META-INF/resources/webjars/swagger-ui/5.34.1/swagger-ui-bundle.js");

        ConsoleAssets.Asset page = assets.find("/console/");
        assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("<script type=\"module\" src=\"/console/js/app.js\">");
        assertThat(page.etag()).matches("\"[0-9a-f]{32}\"");
        assertThat(assets.find("/console/vendor/uplot/dist/uPlot.esm.js").contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(assets.unchanged(page, page.etag())).isTrue();
        assertThat(assets.unchanged(page, "\"other\", " + page.etag())).isTrue();
        assertThat(assets.unchanged(page, "\"other\"")).isFalse();
        assertThat(assets.unchanged(page, null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/../application.properties", "/console/js/../../openapi/payouts-api.yaml",
        "/console/./index.html", "/console/%2e%2e/x.js", "/console/js/app.js.map", "/console/no-type",
        "/console/vendor/other/x.js", "/console/vendor/uplot", "/consoleX/index.html", "/api/payouts",
        "/console/a/b/c/d/e/f/g/h.js", "/console/js\\app.js"})
    void anythingElseIsNotFound(String path) {
        assertThat(assets.resource(path)).isNull();
        assertThat(assets.find(path)).isNull();
    }

    @Test
    void aFileMissingFromTheJarIsNotFound() {
        assertThat(assets.find("/console/js/missing.js")).isNull();
        assertThat(assets.find(null)).isNull();
        assertThat(assets.find("/console/" + "a".repeat(250) + ".js")).isNull();
    }
}
