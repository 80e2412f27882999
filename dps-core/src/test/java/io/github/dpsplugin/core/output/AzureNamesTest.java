package io.github.dpsplugin.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.dpsplugin.core.common.DpsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AzureNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"my-dps", "DPS1", "abc", "a0-b1-c2"})
    void validDpsNames(String name) {
        assertEquals(name, AzureNames.dpsName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "-dps", "dps-", "--help", "my_dps", "my dps", "d$(x)", "dps.example",
            "a1234567890123456789012345678901234567890123456789012345678901234"})
    void invalidDpsNamesAreRefused(String name) {
        DpsException e = assertThrows(DpsException.class, () -> AzureNames.dpsName(name));
        assertEquals("dpsName: " + DpsException.quote(name) + " is not a DPS name; Azure allows 3 to 64 letters,"
                + " digits and hyphens, starting and ending with a letter or digit", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"my-rg", "rg_1", "(rg).prod", "Gruppe-\u00e4", "r"})
    void validResourceGroups(String name) {
        assertEquals(name, AzureNames.resourceGroup(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "rg.", "-rf", "my rg", "rg;ls", "rg'x"})
    void invalidResourceGroupsAreRefused(String name) {
        DpsException e = assertThrows(DpsException.class, () -> AzureNames.resourceGroup(name));
        assertEquals("resourceGroup: " + DpsException.quote(name) + " is not a resource group name; Azure allows 1"
                + " to 90 letters, digits, underscores, parentheses, hyphens and periods, not ending with a period",
                e.getMessage());
    }
}
