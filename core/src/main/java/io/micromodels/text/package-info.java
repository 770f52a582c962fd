/**
 * Text for people: {@link io.micromodels.text.Fmt}, the one number formatter of labels, messages and printed tables.
 * Depends on nothing else of the project, so every package and module may use it.
 */
package io.micromodels.text;
