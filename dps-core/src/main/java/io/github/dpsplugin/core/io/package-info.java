/** Reading untrusted text and JSON files with bounds, so that a huge or endless input fails instead of filling memory. */
package io.github.dpsplugin.core.io;
