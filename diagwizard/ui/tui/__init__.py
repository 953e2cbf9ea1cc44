"""The Textual wizard. It only renders engine results; all logic lives in the engine."""
