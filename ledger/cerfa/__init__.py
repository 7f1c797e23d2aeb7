"""The CERFA 10103*12 as a file: the blank form shipped with the project, read and filled with pypdf."""
