document.title += " (persisted)";
