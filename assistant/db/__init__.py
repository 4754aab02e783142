"""Project database (一图五库): models, migrations, importers."""
