/**
 * What a run writes: certificates, manifest, archive, enrollment and rollout files, staged under a
 * lock and published all at once under a journal, so that a failed or killed run leaves the
 * directory as it was; and the merge of shards' outputs.
 */
package io.github.dpsplugin.core.output;
