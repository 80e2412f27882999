package io.github.dpsplugin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DpsExceptionTest {

    @Test
    void quoteKeepsPrintableTextAndEscapesWhatCouldRewriteALogLine() {
        assertEquals("'devkit-test-01'", DpsException.quote("devkit-test-01"));
        assertEquals("'caf\u00e9 \u65e5\u672c \ud83d\ude00'", DpsException.quote("caf\u00e9 \u65e5\u672c \ud83d\ude00"));
        assertEquals("'a\\u000db\\u001b[2Jc\\u0000'", DpsException.quote("a\rb\u001b[2Jc\0"));
        assertEquals("'x\\u202ey\\u2066z\\u2028'", DpsException.quote("x\u202ey\u2066z\u2028"));
        assertEquals("'\\ud800 \\udc00'", DpsException.quote("\ud800 \udc00"));
        assertEquals("null", DpsException.quote(null));
    }

    @Test
    void messageNamesDeviceThenField() {
        DpsException e = new DpsException("uds", "is empty").forDevice("'devkit-test-01' (#1 of <devices>)");
        assertEquals("device 'devkit-test-01' (#1 of <devices>): uds: is empty", e.getMessage());
        assertEquals("uds", e.field());
        assertEquals("'devkit-test-01' (#1 of <devices>)", e.device());
    }
}
