package id.camelpayouts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;

/**
 * The blocks (route templates) an application mounted, with their parameters as resolved: what
 * the startup checks and the twin read (which channels are delivered, where the callback
 * receivers listen). Read from the route definitions, so it answers before any route is created.
 * Camel keeps no template id on a route made from a template; the route carries its template's
 * description, which tells the blocks apart.
 */
final class Blocks {

    static final String PAYOUT_OUTCOMES = "payout-outcomes";
    static final String DUITKU_CALLBACKS = "duitku-callbacks";
    static final String DURIANPAY_NOTIFICATIONS = "durianpay-notifications";

    /** One mounted block: its route id and its parameters (placeholders resolved). */
    record Instance(String routeId, Map<String, String> parameters) {
        String parameter(String name) {
            return parameters.get(name);
        }
    }

    private Blocks() {
    }

    /** The routes made from this template, in the order they were added. */
    static List<Instance> instances(CamelContext context, String templateId) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        RouteTemplateDefinition template = model.getRouteTemplateDefinition(templateId);
        if (template == null) {
            return List.of();
        }
        return model.getRouteDefinitions().stream().filter(RouteDefinition::isCreatedFromTemplate)
                .filter(route -> Objects.equals(template.getDescription(), route.getDescription()))
                .map(route -> new Instance(route.getRouteId(), parameters(context, route))).toList();
    }

    /** The routes (any, blocks or not) that take requests from an HTTP server (platform-http). */
    static List<String> httpReceivers(CamelContext context) {
        return context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions().stream()
                .filter(route -> route.getInput() != null && route.getInput().getEndpointUri() != null
                        && route.getInput().getEndpointUri().startsWith("platform-http:"))
                .map(RouteDefinition::getRouteId).toList();
    }

    private static Map<String, String> parameters(CamelContext context, RouteDefinition route) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (route.getTemplateParameters() != null) {
            route.getTemplateParameters().forEach((name, value) -> parameters.put(name,
                    value == null ? null : context.resolvePropertyPlaceholders(value.toString())));
        }
        return parameters;
    }
}
