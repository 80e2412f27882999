/**
 * DPS individual enrollments from a run's outputs: reads what DPS holds, plans the changes and writes
 * them with ETags, retries and throttling; enrollments the run does not list, and fields it does not
 * manage, are left as DPS holds them.
 */
package io.github.dpsplugin.core.enroll;
