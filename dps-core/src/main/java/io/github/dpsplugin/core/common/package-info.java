/**
 * What every stage uses and that uses nothing of the project: the error type whose message names
 * the field at fault, and the JDK hashes with one engine per thread.
 */
package io.github.dpsplugin.core.common;
