package id.camelpayouts;

import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.cookie.CookieSpecFactory;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.config.RegistryBuilder;

/**
 * The gateway's HTTP clients (provider calls, webhook) keep no cookies: the providers' APIs and the
 * webhook are signed requests, and nothing they answer is sent back. Without a cookie spec of its
 * own, HttpClient parses the public suffix list (about 10,000 lines) when the first client is built,
 * at every start (issue 17).
 */
final class HttpClientsWithoutCookies implements HttpClientConfigurer {

    private HttpClientsWithoutCookies() {
    }

    /** On the context's http and https components, unless a host configured its own. */
    static void on(CamelContext context) {
        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            if (http != null && http.getHttpClientConfigurer() == null) {
                http.setHttpClientConfigurer(new HttpClientsWithoutCookies());
            }
        }
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableCookieManagement();
        builder.setDefaultCookieSpecRegistry(RegistryBuilder.<CookieSpecFactory>create().build());
    }
}
