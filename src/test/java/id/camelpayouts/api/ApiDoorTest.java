package id.camelpayouts.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ApiDoorTest {

    final ApiKeyGuard guard = new ApiKeyGuard("k-123");
    final JsonRequests json = new JsonRequests();

    @Test
    void theKeyIsTakenFromTheHeaderOnly() {
        assertThat(guard.refusal("k-123", null)).isNull();
        assertThat(guard.refusal("k-123", "provider=duitku")).isNull();
        assertThat(guard.refusal("wrong", null)).isEqualTo(ApiKeyGuard.WRONG_KEY);
        assertThat(guard.refusal(null, null)).isEqualTo(ApiKeyGuard.WRONG_KEY);
        assertThat(guard.refusal(List.of("k-123", "k-123"), null)).as("sent twice").isEqualTo(ApiKeyGuard.WRONG_KEY);
        for (String query : List.of("X-API-Key=k-123", "a=1&x-api-key=k-123", "X%2DAPI%2DKey=k-123",
                "X-API-Key", "a=1;X-Api-Key=", "%58-API-Key=k", "+X-API-Key=k")) {
            assertThat(guard.refusal("k-123", query)).as(query).isEqualTo(ApiKeyGuard.KEY_IN_URL);
        }
    }

    @Test
    void onlyJsonInUtf8IsTaken() {
        for (String taken : new String[] {null, "", "application/json", "Application/JSON; charset=UTF-8",
            "application/json;charset=\"utf-8\"", "application/merge-patch+json"}) {
            assertThat(json.unsupported(taken)).as(taken).isNull();
        }
        for (String refused : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "text/plain", "text/json", "application/xml")) {
            assertThat(json.unsupported(refused)).as(refused).isEqualTo(JsonRequests.NOT_JSON);
        }
        for (String refused : List.of("application/json; charset=utf-16", "application/json; charset=ISO-8859-1")) {
            assertThat(json.unsupported(refused)).as(refused).isEqualTo(JsonRequests.NOT_UTF8);
        }
    }
}
