/**
 * What every stage uses and that uses nothing of the project: the error type whose message names
 * the field at fault, the JDK hashes with one engine per thread, and the ordered worker pipeline
 * that keeps a run's output independent of its thread count.
 */
package io.github.dpsplugin.core.common;
