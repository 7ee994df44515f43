/**
 * Coverage-guided fuzz targets (Jazzer). Under {@code mvn verify} each target replays its seed
 * corpus in {@code src/test/resources/io/mamori/hub/fuzz/<Target>Inputs/<method>/}; with {@code
 * JAZZER_FUZZ=1} one target fuzzes for its {@code maxDuration} (README "Tests").
 */
package io.mamori.hub.fuzz;
