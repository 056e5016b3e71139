"""Tables for spreadsheets: CSV and XLSX bytes written in memory (openpyxl lives only here)."""
