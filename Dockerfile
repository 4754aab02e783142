# A minimal image of 招商知识助手 (runtime dependencies only, with OCR). Not built or run in the development
# environment, which has no container runtime: treat it as a starting point. See README 部署.
FROM python:3.11-slim

# libgl1/libglib2.0-0: OpenCV inside rapidocr-onnxruntime (the ocr extra); LibreOffice reads .doc/.wps/.rtf
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 libreoffice-writer-nogui fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY assistant ./assistant
COPY prompts ./prompts
COPY corpus ./corpus
RUN pip install --no-cache-dir ".[ocr]"

RUN useradd --create-home zhaoshang && mkdir -p /data && chown zhaoshang /data
USER zhaoshang
ENV ASSISTANT_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 7860
CMD ["assistant", "serve", "--host", "0.0.0.0", "--port", "7860"]
