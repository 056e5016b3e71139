"""Reading a paper back: the QR codes of a scan (PDF) or a photo (JPEG, PNG…), offline."""
