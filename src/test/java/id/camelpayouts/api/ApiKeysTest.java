package id.camelpayouts.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** PAYOUTS_API_KEYS and PAYOUTS_API_KEY as the guard reads them: names, roles, hashes; errors that never show a key. */
class ApiKeysTest {

    /** SHA-256 of "finance-key-3". */
    static final String FINANCE_HASH = "2e0f1c3d3e4f8d5e1aa85a6a7fed7357a3fad2ab8e2b7fe9b1b0e8e1c8b5d5f6";

    @Test
    void eachNamedKeyHasItsRolesAndAHashedKeyIsComparedByItsHash() {
        String hash = ApiKeysTest.hex(ApiKeys.sha256("finance-key-3"));
        ApiKeyGuard guard = new ApiKeyGuard(ApiKeys.configured("", " erp:erp-key-1:submit,read ; finance:sha256:"
                + hash.toUpperCase() + ":read;oncall:on:call:key:operate;", true));
        assertThat(guard.identify("erp-key-1", null)).isEqualTo(new ApiKeyGuard.Caller("erp", Set.of("submit", "read"),
                null));
        assertThat(guard.identify("finance-key-3", null).name()).isEqualTo("finance");
        assertThat(guard.identify("on:call:key", null).roles()).containsExactly("operate");
        assertThat(guard.identify("sha256:" + hash, null).refusal()).as("the hash is not the key")
                .isEqualTo(ApiKeyGuard.WRONG_KEY);
        assertThat(guard.identify("dev-api-key", null).refusal()).isEqualTo(ApiKeyGuard.WRONG_KEY);
        assertThat(guard.identify(List.of("erp-key-1"), null).refusal()).isEqualTo(ApiKeyGuard.WRONG_KEY);
    }

    @Test
    void theSingleKeyIsNamedDefaultWithEveryRoleInDevAndSubmitAndReadInProd() {
        ApiKeys dev = ApiKeys.configured("k-1", "", false);
        assertThat(dev.keys()).singleElement().satisfies(key -> {
            assertThat(key.name()).isEqualTo("default");
            assertThat(key.roles()).containsExactly("submit", "read", "operate", "approve");
        });
        assertThat(ApiKeys.configured("k-1", "", true).keys().get(0).roles()).containsExactly("submit", "read");
        assertThat(ApiKeys.configured("k-1", "erp:k-2:read", true).keys()).extracting(ApiKeys.Key::name)
                .containsExactly("erp", "default");
    }

    @Test
    void theRoleCheckNamesTheMissingRoleAndAnEndpointWithoutOneIsReadOnly() {
        ApiKeyGuard guard = new ApiKeyGuard(ApiKeys.configured("", "reader:r-1:read;submitter:s-1:submit", false));
        ApiKeyGuard.Caller reader = guard.identify("r-1", null);
        assertThat(guard.forbidden(reader, "read", "GET")).isNull();
        assertThat(guard.forbidden(reader, "operate", "POST")).isEqualTo("this API key does not have the role 'operate'");
        assertThat(guard.forbidden(reader, null, "GET")).isNull();
        assertThat(guard.forbidden(reader, null, "POST")).isEqualTo("this endpoint names no role; nobody may call it");
        assertThat(guard.forbidden(guard.identify("s-1", null), null, "GET"))
                .isEqualTo("this API key does not have the role 'read'");
    }

    @Test
    void aBadEntryIsNamedByItsPositionAndNameNeverByItsKey() {
        Map<String, String> refusals = Map.of(
                "erp:secret-1:submit;ops:secret-2", "PAYOUTS_API_KEYS entry 2 is not name:key:role,role",
                "erp:secret-1:pay", "PAYOUTS_API_KEYS entry 1 ('erp'): roles are submit, read, operate, approve",
                "erp:secret-1:", "PAYOUTS_API_KEYS entry 1 ('erp'): roles are submit, read, operate, approve (none given)",
                "e rp:secret-1:read", "PAYOUTS_API_KEYS entry 1: its name must be 1-64 of A-Z, a-z, 0-9, '.', '_', '-'",
                "erp::read", "PAYOUTS_API_KEYS entry 1 ('erp') has no key",
                "erp:sha256:secret-1:read", "PAYOUTS_API_KEYS entry 1 ('erp'): a key written sha256: must be followed"
                        + " by 64 hex digits",
                "erp:secret-1:read;erp:secret-2:read", "API key name 'erp' is given twice",
                "erp:secret-1:read;ops:secret-1:read", "API keys 'erp' and 'ops' are the same key: give each its own");
        refusals.forEach((keys, refusal) -> assertThatThrownBy(() -> ApiKeys.configured("", keys, false))
                .as(keys).hasMessage(refusal).message().doesNotContain("secret"));
        assertThatThrownBy(() -> ApiKeys.configured("secret-1", "default:secret-2:read", false))
                .hasMessage("API key name 'default' is given twice (it is the name of PAYOUTS_API_KEY)");
        assertThatThrownBy(() -> ApiKeys.configured(" ", " ", false)).hasMessageStartingWith("no API key");
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
