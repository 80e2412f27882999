/** A firmware rollout: the previous release's firmware, whose certificates the devices present until they update. */
package io.github.dpsplugin.core.rollout;
