package dev.suite.shared.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
    final Router router = new Router()
            .add("GET", "/images", r -> ApiResponse.ok("list"))
            .add("DELETE", "/images/{imageId}", r -> ApiResponse.ok(r.pathParam("imageId")));

    static ApiRequest req(String method, String resource) {
        return new ApiRequest(
                new APIGatewayProxyRequestEvent().withHttpMethod(method).withResource(resource), "r");
    }

    @Test
    void dispatchesByMethodAndResource() {
        assertEquals("list", router.dispatch(req("GET", "/images")).body());
        assertEquals(Set.of("GET /images", "DELETE /images/{imageId}"), router.routes());
    }

    @Test
    void unknownResourceIs404AndOtherMethodIs405() {
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> router.dispatch(req("GET", "/nope")))
                        .status());
        ApiException e = assertThrows(ApiException.class, () -> router.dispatch(req("POST", "/images")));
        assertEquals(405, e.status());
        assertEquals("GET", e.headers().get("Allow"));
    }

    @Test
    void aRouteCannotBeDeclaredTwice() {
        assertThrows(
                IllegalStateException.class,
                () -> new Router().add("GET", "/a", r -> null).add("get", "/a", r -> null));
    }
}
