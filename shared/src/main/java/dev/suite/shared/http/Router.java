package dev.suite.shared.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Maps (method, resource) to a route function of a route group's handler; 404 / 405 otherwise. */
public final class Router {

    @FunctionalInterface
    public interface Route {
        ApiResponse handle(ApiRequest request);
    }

    private final Map<String, Map<String, Route>> routes = new LinkedHashMap<>();

    public Router add(String method, String resource, Route route) {
        Route previous =
                routes.computeIfAbsent(resource, r -> new LinkedHashMap<>()).put(method.toUpperCase(), route);
        if (previous != null) {
            throw new IllegalStateException("route declared twice: " + method + " " + resource);
        }
        return this;
    }

    public ApiResponse dispatch(ApiRequest request) {
        Map<String, Route> byMethod = routes.get(request.resource());
        if (byMethod == null) {
            throw new ApiException(404, "NOT_FOUND", "no route for " + request.method() + " " + request.resource());
        }
        Route route = byMethod.get(request.method());
        if (route == null) {
            throw new ApiException(
                    405,
                    "METHOD_NOT_ALLOWED",
                    request.method() + " is not allowed on " + request.resource(),
                    null,
                    Map.of("Allow", String.join(", ", byMethod.keySet())));
        }
        return route.handle(request);
    }

    /** "METHOD /resource" for every route, for the template consistency test. */
    public Set<String> routes() {
        Set<String> out = new TreeSet<>();
        routes.forEach((resource, methods) -> methods.keySet().forEach(m -> out.add(m + " " + resource)));
        return out;
    }
}
