package io.github.dpsplugin.core.output;

import io.github.dpsplugin.core.common.DpsException;

/**
 * Azure's naming rules for the names the generated {@code az} scripts use: a name Azure refuses
 * would fail the script halfway through a fleet, and an option-like one would be read by {@code az}
 * as an option.
 */
public final class AzureNames {

    private AzureNames() {
    }

    /** A DPS instance name: 3 to 64 letters, digits and hyphens, starting and ending with a letter or digit. */
    public static String dpsName(String name) {
        if (name == null) {
            return null;
        }
        boolean ok = name.length() >= 3 && name.length() <= 64
                && name.chars().allMatch(c -> asciiAlphanumeric(c) || c == '-')
                && asciiAlphanumeric(name.charAt(0)) && asciiAlphanumeric(name.charAt(name.length() - 1));
        if (!ok) {
            throw new DpsException("dpsName", DpsException.quote(name) + " is not a DPS name; Azure allows 3 to 64"
                    + " letters, digits and hyphens, starting and ending with a letter or digit");
        }
        return name;
    }

    /**
     * A resource group name: 1 to 90 letters (Unicode included), digits, underscores, parentheses,
     * hyphens and periods, not ending with a period (and, here, not starting with a hyphen).
     */
    public static String resourceGroup(String name) {
        if (name == null) {
            return null;
        }
        boolean ok = !name.isEmpty() && name.length() <= 90 && !name.endsWith(".") && !name.startsWith("-")
                && name.codePoints().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '(' || c == ')'
                        || c == '-' || c == '.');
        if (!ok) {
            throw new DpsException("resourceGroup", DpsException.quote(name) + " is not a resource group name;"
                    + " Azure allows 1 to 90 letters, digits, underscores, parentheses, hyphens and periods, not"
                    + " ending with a period");
        }
        return name;
    }

    private static boolean asciiAlphanumeric(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
