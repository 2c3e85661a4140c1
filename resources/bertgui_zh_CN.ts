<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>BasicView</name>
    <message>
        <source>Where the training runs. “Automatic” picks a graphics card when this computer has a suitable one, else the processor.</source>
        <translation>训练在哪里运行。“自动”会在这台电脑有合适的显卡时使用显卡，否则使用处理器（CPU）。</translation>
    </message>
    <message>
        <source>5 minutes (a first look)</source>
        <translation>5 分钟（先看看效果）</translation>
    </message>
    <message>
        <source>20 minutes</source>
        <translation>20 分钟</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>Overnight (8 hours)</source>
        <translation>一整夜（8 小时）</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>自定义…</translation>
    </message>
    <message>
        <source>No time limit (the advanced settings decide)</source>
        <translation>不限时间（由高级设置决定）</translation>
    </message>
    <message>
        <source>How long you are willing to wait. bertgui measures how fast this computer trains your model and plans the run to end within that time, checks and saving included.</source>
        <translation>你愿意等多久。bertgui 会测量这台电脑训练你的模型的速度，并据此安排本次运行，使其在这段时间内结束（包括检查和保存的时间）。</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Your own time limit, in minutes.</source>
        <translation>你自己设定的时间上限，单位为分钟。</translation>
    </message>
    <message>
        <source>Learn sentence order too</source>
        <translation>同时学习句子顺序</translation>
    </message>
    <message>
        <source>Besides guessing hidden words, the model learns to tell whether one sentence really follows another in your text. Useful for BERT models; turn it off when your text has no paragraphs of several sentences.</source>
        <translation>除了猜出被遮住的词，模型还会学习判断你的文本中一句话是否真的紧接在另一句之后。适用于 BERT 模型；如果你的文本没有由多句话组成的段落，请关闭此项。</translation>
    </message>
    <message>
        <source>Measured on this computer with a few trial steps of your model.</source>
        <translation>在这台电脑上用你的模型试跑几步测得。</translation>
    </message>
    <message>
        <source>Where to train:</source>
        <translation>训练位置：</translation>
    </message>
    <message>
        <source>How long can you wait?</source>
        <translation>你能等多久？</translation>
    </message>
    <message>
        <source>This model has no sentence-order head: it learns hidden words only.</source>
        <translation>该模型没有句子顺序预测层：只学习被遮住的词。</translation>
    </message>
    <message>
        <source>Measuring how fast this computer trains your model…</source>
        <translation>正在测量这台电脑训练你的模型的速度…</translation>
    </message>
    <message>
        <source>A time plan is not available in this version: the run uses the settings of the advanced view.</source>
        <translation>此版本不提供时间规划：本次运行使用高级视图中的设置。</translation>
    </message>
    <message>
        <source>This model came without its {0}: bertgui first fits them on your text with the rest of the model frozen (about {1} of the run), so that the figures before and after training mean something.</source>
        <translation>此模型没有自带 {0}：bertgui 会先在你的文本上拟合这些头，同时冻结模型的其余部分（约占本次运行的 {1}），这样训练前后的数字才有意义。</translation>
    </message>
    <message>
        <source>{0} fit {1} training steps here: too few to adapt this model. {2} or more recommended.</source>
        <translation>在这台电脑上，{0} 只够训练 {1} 步：太少，无法让此模型适应你的文本。建议 {2} 或更长。</translation>
    </message>
    <message>
        <source>No time limit: the run takes as long as the passes and steps of the advanced view need.</source>
        <translation>不限时间：运行所需时间取决于高级视图中设定的轮数和步数。</translation>
    </message>
    <message>
        <source>No estimate: {0}</source>
        <translation>无法估算：{0}</translation>
    </message>
</context>
<context>
    <name>BudgetView</name>
    <message>
        <source>about {0} min</source>
        <translation>约 {0} 分钟</translation>
    </message>
    <message>
        <source>about {0} h</source>
        <translation>约 {0} 小时</translation>
    </message>
    <message>
        <source>about {0} h {1} min</source>
        <translation>约 {0} 小时 {1} 分钟</translation>
    </message>
    <message>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
    <message>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <source>{0} minutes</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>{0} hours</source>
        <translation>{0} 小时</translation>
    </message>
    <message>
        <source>{0} on this machine, {1} passes over your text</source>
        <translation>在本机上需 {0}，遍历你的文本 {1} 遍</translation>
    </message>
</context>
<context>
    <name>CheckpointChooser</name>
    <message>
        <source>Which model to export</source>
        <translation>导出哪个模型</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Held-out perplexity</source>
        <translation>留出文本困惑度</translation>
    </message>
    <message>
        <source>General text perplexity</source>
        <translation>通用文本困惑度</translation>
    </message>
    <message>
        <source>Embedding check (MRR)</source>
        <translation>嵌入检查（MRR）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Select the best trade-off</source>
        <translation>选择最佳折中</translation>
    </message>
    <message>
        <source>The run measured the model more than once. Lower perplexity is better; the general text and the embedding check show what it forgot. The best trade-off: the lowest held-out perplexity whose general text and embedding check stay within 10 % of the base model.</source>
        <translation>这次运行多次测量了模型。困惑度越低越好；通用文本和嵌入检查显示模型遗忘了什么。最佳折中：在通用文本和嵌入检查与基础模型相差不超过 10 % 的检查点中，留出文本困惑度最低的那个。</translation>
    </message>
    <message>
        <source>base model (not exported)</source>
        <translation>基础模型（不导出）</translation>
    </message>
    <message>
        <source>best trade-off</source>
        <translation>最佳折中</translation>
    </message>
    <message>
        <source>forgets more than 10 %</source>
        <translation>遗忘超过 10 %</translation>
    </message>
    <message>
        <source>final model</source>
        <translation>最终模型</translation>
    </message>
    <message>
        <source>{0}; final model</source>
        <translation>{0}；最终模型</translation>
    </message>
    <message>
        <source>base</source>
        <translation>基础</translation>
    </message>
    <message>
        <source>Not measured at this step: the embedding check runs before and after training.</source>
        <translation>此步未测量：嵌入检查只在训练前后进行。</translation>
    </message>
    <message>
        <source>Export takes step {0}: the best trade-off.</source>
        <translation>导出第 {0} 步的模型：最佳折中。</translation>
    </message>
    <message>
        <source>Export takes step {0}.</source>
        <translation>导出第 {0} 步的模型。</translation>
    </message>
</context>
<context>
    <name>Chips</name>
    <message>
        <source>masked → [MASK]</source>
        <translation>已掩码 → [MASK]</translation>
    </message>
    <message>
        <source>replaced by a random token</source>
        <translation>替换为随机词元</translation>
    </message>
    <message>
        <source>selected, kept unchanged</source>
        <translation>选中但保持不变</translation>
    </message>
    <message>
        <source>not selected</source>
        <translation>未选中</translation>
    </message>
    <message>
        <source>special token</source>
        <translation>特殊词元</translation>
    </message>
    <message>
        <source>original: {0}</source>
        <translation>原词元：{0}</translation>
    </message>
    <message>
        <source>sentence {0}</source>
        <translation>句子 {0}</translation>
    </message>
</context>
<context>
    <name>ConfigChoice</name>
    <message>
        <source>linear</source>
        <translation>线性（linear）</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>余弦（cosine）</translation>
    </message>
    <message>
        <source>constant_with_warmup</source>
        <translation>预热后保持恒定（constant_with_warmup）</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动（auto）</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>单精度（fp32）</translation>
    </message>
    <message>
        <source>bf16</source>
        <translation>bf16 半精度（bf16）</translation>
    </message>
    <message>
        <source>fp16</source>
        <translation>fp16 半精度（fp16）</translation>
    </message>
    <message>
        <source>blank-line</source>
        <translation>按空行（blank-line）</translation>
    </message>
    <message>
        <source>line</source>
        <translation>按行（line）</translation>
    </message>
    <message>
        <source>file</source>
        <translation>按文件（file）</translation>
    </message>
</context>
<context>
    <name>ConfigField</name>
    <message>
        <source>Corpus files</source>
        <translation>语料文件</translation>
    </message>
    <message>
        <source>Text column</source>
        <translation>文本列</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文档划分</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>文本编码</translation>
    </message>
    <message>
        <source>Held-out share</source>
        <translation>留出比例</translation>
    </message>
    <message>
        <source>General text (forgetting)</source>
        <translation>通用文本（遗忘评估）</translation>
    </message>
    <message>
        <source>Bundled general sample</source>
        <translation>内置通用样本</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>Allow pickle weights</source>
        <translation>允许 pickle 权重</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <source>NSP (next sentence prediction)</source>
        <translation>NSP（下一句预测）</translation>
    </message>
    <message>
        <source>MLM probability</source>
        <translation>MLM 掩码比例</translation>
    </message>
    <message>
        <source>Selected → [MASK]</source>
        <translation>选中 → [MASK]</translation>
    </message>
    <message>
        <source>Selected → random token</source>
        <translation>选中 → 随机词元</translation>
    </message>
    <message>
        <source>Whole word masking</source>
        <translation>全词掩码</translation>
    </message>
    <message>
        <source>Max sequence length</source>
        <translation>最大序列长度</translation>
    </message>
    <message>
        <source>Short sequence share</source>
        <translation>短序列比例</translation>
    </message>
    <message>
        <source>MLM only: sequences across documents</source>
        <translation>仅 MLM：序列可跨文档</translation>
    </message>
    <message>
        <source>Chinese word segmentation</source>
        <translation>中文分词</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Tokens per step</source>
        <translation>每步词元数</translation>
    </message>
    <message>
        <source>Gradient accumulation</source>
        <translation>梯度累积步数</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>Warmup ratio</source>
        <translation>预热比例</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>训练轮数</translation>
    </message>
    <message>
        <source>Max steps</source>
        <translation>最大步数</translation>
    </message>
    <message>
        <source>Max grad norm</source>
        <translation>梯度裁剪范数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>数值精度</translation>
    </message>
    <message>
        <source>Checkpoint every</source>
        <translation>检查点间隔（步）</translation>
    </message>
    <message>
        <source>Keep checkpoints</source>
        <translation>保留检查点数</translation>
    </message>
    <message>
        <source>Evaluate every</source>
        <translation>评估间隔（步）</translation>
    </message>
    <message>
        <source>Log every</source>
        <translation>日志间隔（步）</translation>
    </message>
    <message>
        <source>Fast MLM head</source>
        <translation>快速 MLM 输出层</translation>
    </message>
    <message>
        <source>torch.compile</source>
        <translation>torch.compile 编译</translation>
    </message>
    <message>
        <source>Padding-free batches (GPU)</source>
        <translation>无填充批次（GPU）</translation>
    </message>
    <message>
        <source>Data loader workers</source>
        <translation>数据加载进程数</translation>
    </message>
    <message>
        <source>Add words to vocabulary</source>
        <translation>向词表添加新词</translation>
    </message>
    <message>
        <source>Reuse [unused] slots</source>
        <translation>复用 [unused] 槽位</translation>
    </message>
    <message>
        <source>Group by length</source>
        <translation>按长度分组</translation>
    </message>
    <message>
        <source>Attention dropout</source>
        <translation>注意力 dropout</translation>
    </message>
    <message>
        <source>Tokens per forward pass</source>
        <translation>每次前向计算的词元数</translation>
    </message>
    <message>
        <source>Time budget</source>
        <translation>时间预算</translation>
    </message>
    <message>
        <source>Balanced NSP (about half random B)</source>
        <translation>平衡 NSP（约一半为随机 B 句）</translation>
    </message>
    <message>
        <source>Share of the time for fitting new heads</source>
        <translation>用于拟合新头的时间比例</translation>
    </message>
    <message>
        <source>Learning rate of new heads (× the rate)</source>
        <translation>新头的学习率（学习率的倍数）</translation>
    </message>
    <message>
        <source>Learning rate without an MLM head (× the rate)</source>
        <translation>无 MLM 头时的学习率（× 学习率）</translation>
    </message>
    <message>
        <source>General-text replay share</source>
        <translation>通用文本回放比例</translation>
    </message>
</context>
<context>
    <name>ConfigForm</name>
    <message>
        <source>Corpus</source>
        <translation>语料</translation>
    </message>
    <message>
        <source>Model and output</source>
        <translation>模型与输出</translation>
    </message>
    <message>
        <source>Pairs and masking</source>
        <translation>句对与掩码</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <source>{0}: {1!r} is not a number.</source>
        <translation>{0}：{1!r} 不是数字。</translation>
    </message>
</context>
<context>
    <name>Core</name>
    <message>
        <source>{0} must be true or false; got {1!r}.</source>
        <translation>{0} 必须是 true 或 false；当前为 {1!r}。</translation>
    </message>
    <message>
        <source>{0} must be a whole number; got {1!r}.</source>
        <translation>{0} 必须是整数；当前为 {1!r}。</translation>
    </message>
    <message>
        <source>{0} must be a number; got {1!r}.</source>
        <translation>{0} 必须是数字；当前为 {1!r}。</translation>
    </message>
    <message>
        <source>{0} must be a duration such as 600, &apos;10m&apos; or &apos;1h&apos;; got {1!r}.</source>
        <translation>{0} 必须是一个时长，例如 600、&apos;10m&apos; 或 &apos;1h&apos;；实际为 {1!r}。</translation>
    </message>
    <message>
        <source>{0} must be text; got {1!r}.</source>
        <translation>{0} 必须是文本；当前为 {1!r}。</translation>
    </message>
    <message>
        <source>{0} must be a list of text values; got {1!r}.</source>
        <translation>{0} 必须是文本列表；当前为 {1!r}。</translation>
    </message>
    <message>
        <source>masking.mask_replace_prob + masking.random_replace_prob must be ≤ 1 (got {0} + {1}).</source>
        <translation>masking.mask_replace_prob 与 masking.random_replace_prob 之和必须 ≤ 1（当前为 {0} + {1}）。</translation>
    </message>
    <message>
        <source>{0} must be one of {1}; got {2!r}.</source>
        <translation>{0} 必须是以下取值之一：{1}；当前为 {2!r}。</translation>
    </message>
    <message>
        <source>Configuration file {0} is not UTF-8 text (line {1}).</source>
        <translation>配置文件 {0} 不是 UTF-8 文本（第 {1} 行）。</translation>
    </message>
    <message>
        <source>TOML files must be UTF-8: save it again as UTF-8 (for example with a text editor&apos;s &apos;Save with encoding&apos;).</source>
        <translation>TOML 文件必须是 UTF-8 编码：请把它重新另存为 UTF-8（例如使用文本编辑器的“以指定编码保存”功能）。</translation>
    </message>
    <message>
        <source>Configuration file {0} does not exist.</source>
        <translation>配置文件 {0} 不存在。</translation>
    </message>
    <message>
        <source>Cannot read configuration file {0}: {1}.</source>
        <translation>无法读取配置文件 {0}：{1}。</translation>
    </message>
    <message>
        <source>{0} is not valid TOML: {1}.</source>
        <translation>{0} 不是有效的 TOML：{1}。</translation>
    </message>
    <message>
        <source>{0} must be a finite number; got {1!r}.</source>
        <translation>{0} 必须是有限的数值；当前为 {1!r}。</translation>
    </message>
    <message>
        <source>{0} must be {1} {2}; got {3!r}.</source>
        <translation>{0} 必须 {1} {2}；当前为 {3!r}。</translation>
    </message>
    <message>
        <source>{0} must be ≤ {1}; got {2!r}.</source>
        <translation>{0} 必须 ≤ {1}；当前为 {2!r}。</translation>
    </message>
    <message>
        <source>corpus.encoding {0!r} is not a text encoding Python knows.</source>
        <translation>corpus.encoding 的值 {0!r} 不是 Python 认识的文本编码。</translation>
    </message>
    <message>
        <source>Use &apos;auto&apos;, or a name such as utf-8, latin-1, cp1252, cp1250, cp1257, gb18030.</source>
        <translation>请使用 &apos;auto&apos;，或 utf-8、latin-1、cp1252、cp1250、cp1257、gb18030 这样的编码名称。</translation>
    </message>
    <message>
        <source>The encoding of {0} is a weak guess ({1}, {2:.0%}): if accented letters look wrong, set corpus.encoding (for example latin-1, cp1250, cp1257).</source>
        <translation>{0} 的编码只是粗略猜测（{1}，{2:.0%}）：如果带重音的字母显示不对，请设置 corpus.encoding（例如 latin-1、cp1250、cp1257）。</translation>
    </message>
    <message>
        <source>a device</source>
        <translation>设备文件</translation>
    </message>
    <message>
        <source>The corpus path {0} is not a regular file ({1}).</source>
        <translation>语料路径 {0} 不是普通文件（{1}）。</translation>
    </message>
    <message>
        <source>Choose a text file (.txt, .md), a table (.csv, .tsv, .jsonl) or a folder of them.</source>
        <translation>请选择一个文本文件（.txt、.md）、一个表格文件（.csv、.tsv、.jsonl），或存放这些文件的文件夹。</translation>
    </message>
    <message>
        <source>{0} does not read cleanly as {1} (the first undecodable byte is at {2:.0%} of the sample): check corpus.encoding.</source>
        <translation>{0} 无法按 {1} 正确读取（第一个无法解码的字节位于样本的 {2:.0%} 处）：请检查 corpus.encoding。</translation>
    </message>
    <message>
        <source>Skipped: {0}</source>
        <translation>已跳过：{0}</translation>
    </message>
    <message>
        <source>No corpus given.</source>
        <translation>尚未选择语料。</translation>
    </message>
    <message>
        <source>Choose one or more text files or a folder.</source>
        <translation>请选择一个或多个文本文件，或一个文件夹。</translation>
    </message>
    <message>
        <source>a pipe</source>
        <translation>管道</translation>
    </message>
    <message>
        <source>The corpus file {0} is empty.</source>
        <translation>语料文件 {0} 是空的。</translation>
    </message>
    <message>
        <source>Choose a file with text in it.</source>
        <translation>请选择有文字内容的文件。</translation>
    </message>
    <message>
        <source>{0} is a binary file, not text.</source>
        <translation>{0} 是二进制文件，不是文本。</translation>
    </message>
    <message>
        <source>Export the document as plain text (.txt) or a table (.csv, .jsonl) first.</source>
        <translation>请先把文档导出为纯文本（.txt）或表格（.csv、.jsonl）。</translation>
    </message>
    <message>
        <source>{0} is not text in any encoding we recognise.</source>
        <translation>无法识别 {0} 的文本编码。</translation>
    </message>
    <message>
        <source>Save it as UTF-8 text and open it again.</source>
        <translation>请将其另存为 UTF-8 文本后重新打开。</translation>
    </message>
    <message>
        <source>{0} holds no usable text.</source>
        <translation>{0} 中没有可用的文字。</translation>
    </message>
    <message>
        <source>Check the file and, for tables, the text column.</source>
        <translation>请检查文件内容；如果是表格，请检查所选的文本列。</translation>
    </message>
    <message>
        <source>Cannot read the corpus file {0}: {1}.</source>
        <translation>无法读取语料文件 {0}：{1}。</translation>
    </message>
    <message>
        <source>Check the path and its permissions.</source>
        <translation>请检查路径及其访问权限。</translation>
    </message>
    <message>
        <source>a socket</source>
        <translation>套接字</translation>
    </message>
    <message>
        <source>not a regular file</source>
        <translation>不是普通文件</translation>
    </message>
    <message>
        <source>{0} has no column {1!r}.</source>
        <translation>{0} 中没有名为 {1!r} 的列。</translation>
    </message>
    <message>
        <source>Its columns are: {0}. Choose the text column.</source>
        <translation>它的列有：{0}。请选择文本所在的列。</translation>
    </message>
    <message>
        <source>The folder {0} holds no corpus files ({1}).</source>
        <translation>文件夹 {0} 中没有语料文件（{1}）。</translation>
    </message>
    <message>
        <source>The corpus file {0} does not exist.</source>
        <translation>语料文件 {0} 不存在。</translation>
    </message>
    <message>
        <source>Check the path or choose the file again.</source>
        <translation>请检查路径，或重新选择文件。</translation>
    </message>
    <message>
        <source>Choose the text column.</source>
        <translation>请选择文本所在的列。</translation>
    </message>
    <message>
        <source>{0}, line {1}: not valid JSON ({2}).</source>
        <translation>{0} 第 {1} 行：不是有效的 JSON（{2}）。</translation>
    </message>
    <message>
        <source>Each line of a .jsonl file must be one JSON object.</source>
        <translation>.jsonl 文件的每一行都必须是一个 JSON 对象。</translation>
    </message>
    <message>
        <source>The loss became {0} at step {1}: training diverged.</source>
        <translation>第 {1} 步的损失变成了 {0}：训练发散了。</translation>
    </message>
    <message>
        <source>Lower the learning rate (now {0:g}; try {1:g}), keep warmup on, and keep gradient clipping (max_grad_norm) on.</source>
        <translation>请降低学习率（当前为 {0:g}，可试试 {1:g}），并保持预热和梯度裁剪（max_grad_norm）开启。</translation>
    </message>
    <message>
        <source>This GPU does not support bf16.</source>
        <translation>这块 GPU 不支持 bf16。</translation>
    </message>
    <message>
        <source>Use precision &apos;auto&apos; (fp16 with loss scaling).</source>
        <translation>请把数值精度设为 &apos;auto&apos;（使用带损失缩放的 fp16）。</translation>
    </message>
    <message>
        <source>training.device is &apos;cuda&apos; but PyTorch sees no CUDA GPU.</source>
        <translation>training.device 设为 &apos;cuda&apos;，但 PyTorch 没有检测到 CUDA GPU。</translation>
    </message>
    <message>
        <source>Use device &apos;auto&apos; or &apos;cpu&apos;, or install a CUDA build of PyTorch.</source>
        <translation>请把设备设为 &apos;auto&apos; 或 &apos;cpu&apos;，或安装支持 CUDA 的 PyTorch。</translation>
    </message>
    <message>
        <source>training.device is &apos;mps&apos; but Apple MPS is not available.</source>
        <translation>training.device 设为 &apos;mps&apos;，但 Apple MPS 不可用。</translation>
    </message>
    <message>
        <source>Use &apos;auto&apos; or &apos;cpu&apos;.</source>
        <translation>请改用 &apos;auto&apos; 或 &apos;cpu&apos;。</translation>
    </message>
    <message>
        <source>Training stopped with an unexpected error: {0}</source>
        <translation>训练因意外错误而停止：{0}</translation>
    </message>
    <message>
        <source>Read the details; resume from the last checkpoint once the cause is fixed.</source>
        <translation>请查看详细信息；排除原因后，可从最近的检查点继续训练。</translation>
    </message>
    <message>
        <source>The device ran out of memory at step {0}.</source>
        <translation>第 {0} 步时设备内存不足。</translation>
    </message>
    <message>
        <source>Lower the batch size (now {0}) or the maximum sequence length (now {1}); gradient accumulation keeps the effective batch (now {2}).</source>
        <translation>请减小批大小（当前为 {0}）或最大序列长度（当前为 {1}）；用梯度累积（当前为 {2}）可以保持等效批次不变。</translation>
    </message>
    <message>
        <source>The disk is full (writing under {0}).</source>
        <translation>磁盘已满（正在写入 {0}）。</translation>
    </message>
    <message>
        <source>The output folder {0} is not writable.</source>
        <translation>输出文件夹 {0} 没有写入权限。</translation>
    </message>
    <message>
        <source>Choose a folder you can write to.</source>
        <translation>请选择一个有写入权限的文件夹。</translation>
    </message>
    <message>
        <source>A corpus file disappeared while reading: {0}.</source>
        <translation>读取过程中语料文件不见了：{0}。</translation>
    </message>
    <message>
        <source>Put the file back (or remove it from the corpus list) and start again.</source>
        <translation>请把文件放回原处（或将其从语料列表中移除），然后重新开始。</translation>
    </message>
    <message>
        <source>Loading {0}</source>
        <translation>正在加载 {0}</translation>
    </message>
    <message>
        <source>The corpus is too short to build a single training sequence.</source>
        <translation>语料太短，连一条训练序列都构造不出来。</translation>
    </message>
    <message>
        <source>Add more text, or lower the maximum sequence length.</source>
        <translation>请补充更多文本，或调小最大序列长度。</translation>
    </message>
    <message>
        <source>{0} holds no checkpoint (checkpoint-N folder with trainer_state.json).</source>
        <translation>{0} 中没有检查点（即含 trainer_state.json 的 checkpoint-N 文件夹）。</translation>
    </message>
    <message>
        <source>Choose the output folder of an earlier run or one of its checkpoint folders.</source>
        <translation>请选择之前某次训练的输出文件夹，或其中的某个检查点文件夹。</translation>
    </message>
    <message>
        <source>The general-text file {0} does not exist.</source>
        <translation>通用文本文件 {0} 不存在。</translation>
    </message>
    <message>
        <source>Choose another file or clear corpus.general_corpus.</source>
        <translation>请选择其他文件，或清空 corpus.general_corpus。</translation>
    </message>
    <message>
        <source>Process {0} of {1} failed: {2}</source>
        <translation>{1} 个进程中的第 {0} 号进程出错：{2}</translation>
    </message>
    <message>
        <source>Building the frozen evaluation set</source>
        <translation>正在构建固定的评估集</translation>
    </message>
    <message>
        <source>No checkpoint to resume in {0}.</source>
        <translation>{0} 中没有可以继续训练的检查点。</translation>
    </message>
    <message>
        <source>Start a new run, or choose the output folder of an earlier run.</source>
        <translation>请开始新的训练，或选择之前某次训练的输出文件夹。</translation>
    </message>
    <message>
        <source>The GPU ran out of memory at step {0}.</source>
        <translation>第 {0} 步时 GPU 显存不足。</translation>
    </message>
    <message>
        <source>The computer ran out of memory at step {0}.</source>
        <translation>第 {0} 步时计算机内存不足。</translation>
    </message>
    <message>
        <source>Training was interrupted.</source>
        <translation>训练被中断了。</translation>
    </message>
    <message>
        <source>Resume it from the last checkpoint with --resume.</source>
        <translation>可以用 --resume 从最近的检查点继续训练。</translation>
    </message>
    <message>
        <source>Reading the model</source>
        <translation>正在读取模型</translation>
    </message>
    <message>
        <source>{0} holds no tokenizer, and the run&apos;s own tokenizer is not saved.</source>
        <translation>{0} 中没有分词器，而且本次运行自己的分词器也没有保存。</translation>
    </message>
    <message>
        <source>Export the run folder after it finished, or a checkpoint of a finished run.</source>
        <translation>请在运行结束后导出运行文件夹，或导出已完成运行的某个检查点。</translation>
    </message>
    <message>
        <source>Writing the loss curve and the model card</source>
        <translation>正在写入损失曲线和模型卡片</translation>
    </message>
    <message>
        <source>{0} already exists and is not empty.</source>
        <translation>{0} 已存在且不是空文件夹。</translation>
    </message>
    <message>
        <source>Choose another folder, or allow overwriting (--overwrite).</source>
        <translation>请选择其他文件夹，或允许覆盖（--overwrite）。</translation>
    </message>
    <message>
        <source>Writing weights and tokenizer</source>
        <translation>正在写入权重和分词器</translation>
    </message>
    <message>
        <source>Checking that transformers loads it</source>
        <translation>正在检查 transformers 能否加载</translation>
    </message>
    <message>
        <source>Moving into place</source>
        <translation>正在移动到目标位置</translation>
    </message>
    <message>
        <source>Cannot write into {0}: {1}.</source>
        <translation>无法写入 {0}：{1}。</translation>
    </message>
    <message>
        <source>The model is saved in {0}, but its card and loss curve could not be written: {1}.</source>
        <translation>模型已保存在 {0}，但无法写入它的模型卡片和损失曲线：{1}。</translation>
    </message>
    <message>
        <source>Free some disk space, then write them with `bertgui export {0} OUTPUT`.</source>
        <translation>请腾出一些磁盘空间，然后用 `bertgui export {0} OUTPUT` 重新导出，写入这些文件。</translation>
    </message>
    <message>
        <source>{0} holds no trained model.</source>
        <translation>{0} 中没有训练好的模型。</translation>
    </message>
    <message>
        <source>Train first, or choose a run&apos;s output folder.</source>
        <translation>请先训练，或选择某次训练的输出文件夹。</translation>
    </message>
    <message>
        <source>There is no trained model in memory to export.</source>
        <translation>内存中没有可导出的训练好的模型。</translation>
    </message>
    <message>
        <source>Train (or load a run) first.</source>
        <translation>请先训练（或加载一次训练的结果）。</translation>
    </message>
    <message>
        <source>Export to {0} failed: {1}.</source>
        <translation>导出到 {0} 失败：{1}。</translation>
    </message>
    <message>
        <source>Check free disk space and permissions, then export again.</source>
        <translation>请检查磁盘剩余空间和写入权限，然后重新导出。</translation>
    </message>
    <message>
        <source>On a machine with internet, run `hf download {0}` (or open it once in bertgui), then copy the folder {1} or the model folder here and choose it as a folder.</source>
        <translation>请在能联网的电脑上运行 `hf download {0}`（或在 bertgui 中打开一次该模型），再把文件夹 {1} 或该模型的文件夹复制到本机，并以文件夹的方式选择它。</translation>
    </message>
    <message>
        <source>No base model given.</source>
        <translation>尚未选择基础模型。</translation>
    </message>
    <message>
        <source>Choose a folder, a cached model, or type a hub id.</source>
        <translation>请选择一个文件夹、一个已缓存的模型，或输入 Hub 上的模型 ID。</translation>
    </message>
    <message>
        <source>The model folder {0} does not exist.</source>
        <translation>模型文件夹 {0} 不存在。</translation>
    </message>
    <message>
        <source>Check the path, or choose another folder.</source>
        <translation>请检查路径，或选择其他文件夹。</translation>
    </message>
    <message>
        <source>{0} is not in the local model cache and offline mode is on (HF_HUB_OFFLINE).</source>
        <translation>本地模型缓存中没有 {0}，且当前处于离线模式（HF_HUB_OFFLINE）。</translation>
    </message>
    <message>
        <source>{0} has no config.json, so it is not a transformers model folder.</source>
        <translation>{0} 中没有 config.json，因此不是 transformers 模型文件夹。</translation>
    </message>
    <message>
        <source>Choose the folder that save_pretrained wrote (config.json, model.safetensors, tokenizer files).</source>
        <translation>请选择由 save_pretrained 写出的文件夹（含 config.json、model.safetensors 和分词器文件）。</translation>
    </message>
    <message>
        <source>{0} is a {1} model: it has no next-sentence-prediction head.</source>
        <translation>{0} 是 {1} 模型，没有下一句预测头。</translation>
    </message>
    <message>
        <source>Turn NSP off to train masked language modelling only.</source>
        <translation>请关闭 NSP，只训练掩码语言模型。</translation>
    </message>
    <message>
        <source>{0}&apos;s tokenizer has no fast (Rust) version.</source>
        <translation>{0} 的分词器没有快速（Rust）版本。</translation>
    </message>
    <message>
        <source>Save it with a tokenizer.json file (transformers&apos; convert_slow_tokenizer).</source>
        <translation>请为它保存一个 tokenizer.json 文件（可用 transformers 的 convert_slow_tokenizer）。</translation>
    </message>
    <message>
        <source>{0}&apos;s tokenizer has no mask token, so it cannot do masked language modelling.</source>
        <translation>{0} 的分词器没有掩码词元，因此无法训练掩码语言模型。</translation>
    </message>
    <message>
        <source>{0} is a file, not a model folder.</source>
        <translation>{0} 是一个文件，不是模型文件夹。</translation>
    </message>
    <message>
        <source>Choose the folder that holds config.json and the weights.</source>
        <translation>请选择包含 config.json 和权重文件的文件夹。</translation>
    </message>
    <message>
        <source>{0!r} is neither an existing folder nor a valid hub id.</source>
        <translation>{0!r} 既不是已有的文件夹，也不是有效的 Hub 模型 ID。</translation>
    </message>
    <message>
        <source>Type a hub id such as google-bert/bert-base-uncased, or choose a folder.</source>
        <translation>请输入 Hub 模型 ID（例如 google-bert/bert-base-uncased），或选择一个文件夹。</translation>
    </message>
    <message>
        <source>{0} is not in the local cache and the hub cannot be reached ({1}).</source>
        <translation>本地缓存中没有 {0}，且无法连接到 Hub（{1}）。</translation>
    </message>
    <message>
        <source>{0}: config.json cannot be read ({1}).</source>
        <translation>{0}：无法读取 config.json（{1}）。</translation>
    </message>
    <message>
        <source>The folder may be damaged, or the model needs a newer transformers.</source>
        <translation>文件夹可能已损坏，或者该模型需要更新版本的 transformers。</translation>
    </message>
    <message>
        <source>{0} has no weights (no .safetensors file).</source>
        <translation>{0} 中没有权重（没有 .safetensors 文件）。</translation>
    </message>
    <message>
        <source>Choose a complete model folder, or create one with `bertgui new-model`.</source>
        <translation>请选择完整的模型文件夹，或用 `bertgui new-model` 新建一个。</translation>
    </message>
    <message>
        <source>Choose a model whose vocabulary covers the corpus&apos;s language and script (a multilingual or language-specific model), or create a new model from this corpus (`bertgui new-model`, or Create new model in the window): its vocabulary is learnt from your text. Adding a few words to this vocabulary does not help at this share. Check too that the corpus is decoded correctly.</source>
        <translation>请选择词表能覆盖语料所用语言和文字的模型（多语言模型或该语言专用的模型），或者用这份语料新建一个模型（`bertgui new-model`，或窗口中的“新建模型”）：它的词表从你的文本中学得。在这样的比例下，往这个词表里加几个词无济于事。另请检查语料是否被正确解码。</translation>
    </message>
    <message>
        <source>Cannot load the weights of {0}: {1}</source>
        <translation>无法加载 {0} 的权重：{1}</translation>
    </message>
    <message>
        <source>The files may be incomplete; download or export the model again.</source>
        <translation>文件可能不完整；请重新下载或重新导出该模型。</translation>
    </message>
    <message>
        <source>{0} has no usable tokenizer ({1}).</source>
        <translation>{0} 没有可用的分词器（{1}）。</translation>
    </message>
    <message>
        <source>Export the tokenizer into the model folder (tokenizer.json or vocab.txt).</source>
        <translation>请把分词器导出到模型文件夹中（tokenizer.json 或 vocab.txt）。</translation>
    </message>
    <message>
        <source>The hub has no accessible model called {0} ({1}).</source>
        <translation>Hub 上没有可访问的模型 {0}（{1}）。</translation>
    </message>
    <message>
        <source>Check the spelling; gated models need `hf auth login` first.</source>
        <translation>请检查拼写；需授权访问的模型要先运行 `hf auth login`。</translation>
    </message>
    <message>
        <source>{0} exists and is not empty.</source>
        <translation>{0} 已存在且不是空文件夹。</translation>
    </message>
    <message>
        <source>Choose an empty folder or pass --overwrite.</source>
        <translation>请选择一个空文件夹，或加上 --overwrite。</translation>
    </message>
    <message>
        <source>A model needs at least 1 layer and a hidden size of 8.</source>
        <translation>模型至少需要 1 层，隐藏层维度至少为 8。</translation>
    </message>
    <message>
        <source>The hidden size {0} must be divisible by the {1} attention heads.</source>
        <translation>隐藏层维度 {0} 必须能被注意力头数 {1} 整除。</translation>
    </message>
    <message>
        <source>The vocabulary needs at least 100 entries.</source>
        <translation>词表至少需要 100 个条目。</translation>
    </message>
    <message>
        <source>The corpus holds no text after tokenization.</source>
        <translation>分词之后语料中没有剩下任何文字。</translation>
    </message>
    <message>
        <source>bertgui: accelerate launch --cpu starts one process; starting {0} with torch.distributed.run.</source>
        <translation>bertgui：accelerate launch --cpu 只会启动一个进程；改用 torch.distributed.run 启动 {0}。</translation>
    </message>
    <message>
        <source>The tokenizer reads {0:.0%} of this text as [UNK]: training with this model is refused. Choose a model whose vocabulary covers the corpus&apos;s language and script.</source>
        <translation>分词器把这段文本中 {0:.0%} 的内容识别为 [UNK]：拒绝用这个模型训练。请选择词表能覆盖语料所用语言和文字的模型。</translation>
    </message>
    <message>
        <source>Give training.max_steps or training.epochs, not both (--max-steps {0}, --epochs {1}).</source>
        <translation>请只设置 training.max_steps 或 training.epochs 中的一个，不要同时设置（--max-steps {0}，--epochs {1}）。</translation>
    </message>
    <message>
        <source>Drop one of the two flags.</source>
        <translation>请去掉这两个参数中的一个。</translation>
    </message>
    <message>
        <source>{0:.0%} of the lines start with a markup tag (HTML/XML): this looks like markup, not prose. The model learns the tags as text; export the plain text first.</source>
        <translation>{0:.0%} 的行以标记标签（HTML/XML）开头：这看起来是标记文档，而不是正文。模型会把标签当作文本来学；请先导出纯文本。</translation>
    </message>
    <message>
        <source>{0:.0%} of the lines start with a time stamp or a log level: this looks like a log, not prose. The model learns the time stamps as words; keep only the message text if that matters.</source>
        <translation>{0:.0%} 的行以时间戳或日志级别开头：这看起来是日志，而不是正文。模型会把时间戳当作词来学；如有影响，请只保留消息文本。</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>Removed {0:,} terminal escape code(s) and {1:,} other control character(s): they are not text (colour codes would become words such as &apos;32m&apos;).</source>
        <translation>已去除 {0:,} 个终端转义码和 {1:,} 个其他控制字符：它们不是文本（颜色代码会变成“32m”这样的词）。</translation>
    </message>
    <message>
        <source>{0}: entries separated by &apos;%&apos; lines (fortune format); each entry is a document.</source>
        <translation>{0}：条目之间以“%”行分隔（fortune 格式）；每个条目是一个文档。</translation>
    </message>
    <message>
        <source>The corpus file {0} is a link to a file that does not exist.</source>
        <translation>语料文件 {0} 是一个链接，指向的文件并不存在。</translation>
    </message>
    <message>
        <source>{0} (chosen)</source>
        <translation>{0}（已选）</translation>
    </message>
    <message>
        <source>{0} ({1}, {2:.0%})</source>
        <translation>{0}（{1}，{2:.0%}）</translation>
    </message>
    <message>
        <source>weak guess</source>
        <translation>粗略猜测</translation>
    </message>
    <message>
        <source>guessed</source>
        <translation>已猜测</translation>
    </message>
    <message>
        <source>Check the files and the text column.</source>
        <translation>请检查文件和所选的文本列。</translation>
    </message>
    <message>
        <source>None of the {0:,} documents has more than one sentence, so there are no sentence pairs for next sentence prediction.</source>
        <translation>{0:,} 篇文档都只有一个句子，因此无法构造下一句预测所需的句对。</translation>
    </message>
    <message>
        <source>Train MLM only (masking.nsp = false; in the window: untick &apos;Next sentence prediction&apos;), or change how files split into documents (corpus.documents: &apos;blank-line&apos; or &apos;file&apos; instead of &apos;line&apos;).</source>
        <translation>请只训练掩码语言模型（masking.nsp = false；在窗口中取消勾选“下一句预测”），或更改文档的划分方式（corpus.documents 设为 &apos;blank-line&apos; 或 &apos;file&apos;，而不是 &apos;line&apos;）。</translation>
    </message>
    <message>
        <source>The corpus is a single document; next sentence prediction needs a second document to draw random sentences from.</source>
        <translation>语料只有一篇文档；下一句预测需要第二篇文档来抽取随机句子。</translation>
    </message>
    <message>
        <source>Add more text, split the file into documents with blank lines, or train MLM only (masking.nsp = false).</source>
        <translation>请补充更多文本、用空行把文件分成多篇文档，或只训练掩码语言模型（masking.nsp = false）。</translation>
    </message>
    <message>
        <source>max_seq_length {0} is too short for a sequence.</source>
        <translation>max_seq_length {0} 太短，放不下一条序列。</translation>
    </message>
    <message>
        <source>Use at least 16 tokens.</source>
        <translation>请至少设为 16 个词元。</translation>
    </message>
    <message>
        <source>The tokenizer of {0} makes no tokens of the corpus text (for example {1!r}).</source>
        <translation>{0} 的分词器无法从语料文本中切分出任何词元（例如 {1!r}）。</translation>
    </message>
    <message>
        <source>Its vocabulary has nothing for this text, not even an unknown-word token: choose a model whose tokenizer covers the language, or make one with bertgui new-model.</source>
        <translation>它的词表完全覆盖不了这段文本，连表示未知词的词元都没有：请选择分词器能覆盖该语言的模型，或用 bertgui new-model 新建一个模型。</translation>
    </message>
    <message>
        <source>The tokenizer of {0} turns any text into no tokens at all: it is broken.</source>
        <translation>{0} 的分词器会把任何文本都切分成零个词元：它已损坏。</translation>
    </message>
    <message>
        <source>Check the model folder&apos;s tokenizer.json (its vocabulary and model), or choose another model.</source>
        <translation>请检查模型文件夹中的 tokenizer.json（其中的词表和模型部分），或改选其他模型。</translation>
    </message>
    <message>
        <source>Chinese whole-word masking is off: the word segmenter jieba is not installed, so each Chinese character is masked on its own. Install it with: pip install jieba</source>
        <translation>中文全词掩码已关闭：未安装分词器 jieba，因此每个汉字单独掩码。安装方法：pip install jieba</translation>
    </message>
    <message>
        <source>max_seq_length is {0}, but the model has only {1} positions: sequences are capped at {1} tokens. Set {1} or less to silence this note.</source>
        <translation>max_seq_length 为 {0}，但模型只有 {1} 个位置：序列最多只能有 {1} 个词元。把它设为 {1} 或更小即可不再显示此提示。</translation>
    </message>
    <message>
        <source>{0} is in use by another training run (process {1}).</source>
        <translation>{0} 正被另一个训练运行占用（进程 {1}）。</translation>
    </message>
    <message>
        <source>Wait until that run ends or stop it, or choose another output folder.</source>
        <translation>请等那个运行结束或将其停止，或者另选一个输出文件夹。</translation>
    </message>
    <message>
        <source>{0} is {1!r} in this run, not {2!r}</source>
        <translation>该运行中 {0} 为 {1!r}，而不是 {2!r}</translation>
    </message>
    <message>
        <source>about {0} min on this machine, {1:.1f} passes over your text ({2:,} steps)</source>
        <translation>在这台机器上约需 {0} 分钟，把你的文本过 {1:.1f} 遍（{2:,} 步）</translation>
    </message>
    <message>
        <source>about {0:.0f} s on this machine, {1:.1f} passes over your text ({2:,} steps)</source>
        <translation>在这台机器上约需 {0:.0f} 秒，把你的文本过 {1:.1f} 遍（{2:,} 步）</translation>
    </message>
    <message>
        <source>Measuring the speed of this model on this machine</source>
        <translation>正在测量这个模型在这台机器上的速度</translation>
    </message>
    <message>
        <source>Time budget: {0}</source>
        <translation>时间预算：{0}</translation>
    </message>
    <message>
        <source>Run {0} is finished: it trained all {1} of its {2} steps.</source>
        <translation>运行 {0} 已完成：计划的步数已全部训练完（{1} / {2} 步）。</translation>
    </message>
    <message>
        <source>Train it further (N more steps with a fresh schedule: --train-further N), or start a new run.</source>
        <translation>可以继续训练它（用全新的学习计划再训练 N 步：--train-further N），或开始一个新的运行。</translation>
    </message>
    <message>
        <source>{0} is a checkpoint of the run in {1}, not of {2}.</source>
        <translation>{0} 是 {1} 中那个运行的检查点，不属于 {2}。</translation>
    </message>
    <message>
        <source>Resume a run in its own folder (its output folder is {0}).</source>
        <translation>请在运行自己的文件夹中继续该运行（它的输出文件夹是 {0}）。</translation>
    </message>
    <message>
        <source>{0} already holds a training run.</source>
        <translation>{0} 中已经有一个训练运行。</translation>
    </message>
    <message>
        <source>Resume it, start afresh over it (overwrite), or choose another output folder.</source>
        <translation>请继续该运行、覆盖它重新开始，或另选一个输出文件夹。</translation>
    </message>
    <message>
        <source>Resuming would change the run: {0}.</source>
        <translation>继续运行会改变这个运行：{0}。</translation>
    </message>
    <message>
        <source>Resume with the run&apos;s own settings (leave those out), or start a new run.</source>
        <translation>请使用该运行原有的设置继续（不要指定这些设置），或开始一个新的运行。</translation>
    </message>
    <message>
        <source>Run {0} is not finished: step {1} of {2}.</source>
        <translation>运行 {0} 尚未完成：进行到第 {1} 步，共 {2} 步。</translation>
    </message>
    <message>
        <source>Resume it first; train further once it has finished.</source>
        <translation>请先继续完成该运行；完成之后才能进一步训练。</translation>
    </message>
    <message>
        <source>Train run {0} further from step {1} to {2}, with a fresh schedule ({3})</source>
        <translation>用全新的学习计划把运行 {0} 从第 {1} 步继续训练到第 {2} 步（{3}）</translation>
    </message>
    <message>
        <source>Resume run {0} from step {1} of {2} ({3})</source>
        <translation>从第 {1} 步（共 {2} 步）继续运行 {0}（{3}）</translation>
    </message>
    <message>
        <source>Too many runs named {0} in {1}.</source>
        <translation>{1} 中名为 {0} 的运行太多了。</translation>
    </message>
    <message>
        <source>Choose another workspace.</source>
        <translation>请另选一个工作区。</translation>
    </message>
    <message>
        <source>Cannot create a run folder in the workspace {0}: {1}.</source>
        <translation>无法在工作区 {0} 中创建运行文件夹：{1}。</translation>
    </message>
    <message>
        <source>Choose a workspace folder you can write to, on a disk with free space.</source>
        <translation>请选择一个你有写入权限、且所在磁盘有剩余空间的工作区文件夹。</translation>
    </message>
    <message>
        <source>The run folder {0} no longer exists.</source>
        <translation>运行文件夹 {0} 已不存在。</translation>
    </message>
    <message>
        <source>It was moved or deleted outside bertgui; refresh the list.</source>
        <translation>它已在 bertgui 之外被移动或删除；请刷新列表。</translation>
    </message>
    <message>
        <source>The run in {0} is running (process {1}).</source>
        <translation>{0} 中的运行正在进行（进程 {1}）。</translation>
    </message>
    <message>
        <source>Stop the run first, then delete it.</source>
        <translation>请先停止该运行，再删除它。</translation>
    </message>
    <message>
        <source>Moving to the Recycle Bin is not available here.</source>
        <translation>此处无法移到回收站。</translation>
    </message>
    <message>
        <source>Delete the folder {0} in Explorer.</source>
        <translation>请在资源管理器中删除文件夹 {0}。</translation>
    </message>
    <message>
        <source>The folder {0} no longer exists (moved or deleted).</source>
        <translation>文件夹 {0} 已不存在（已被移动或删除）。</translation>
    </message>
    <message>
        <source>Cannot move {0} to the trash ({1}): {2}.</source>
        <translation>无法把 {0} 移到回收站（{1}）：{2}。</translation>
    </message>
    <message>
        <source>The run is kept. Delete the folder by hand if you want it gone.</source>
        <translation>该运行已保留。如果不想要了，请手动删除该文件夹。</translation>
    </message>
    <message>
        <source>Cannot move {0} to the trash: {1}.</source>
        <translation>无法把 {0} 移到回收站：{1}。</translation>
    </message>
    <message>
        <source>run.json cannot be read; the state is inferred from the files.</source>
        <translation>无法读取 run.json；状态是根据文件推断出来的。</translation>
    </message>
    <message>
        <source>Made by an older bertgui (no run.json); the state is inferred.</source>
        <translation>由旧版 bertgui 创建（没有 run.json）；状态是推断出来的。</translation>
    </message>
    <message>
        <source>{0} line(s) of {1} could not be read (cut or damaged); they are skipped.</source>
        <translation>{1} 中有 {0} 行无法读取（被截断或已损坏）；已跳过这些行。</translation>
    </message>
    <message>
        <source>training.tokens_per_step must be 0 or at least max_seq_length × gradient_accumulation ({0}); got {1}.</source>
        <translation>training.tokens_per_step 必须为 0，或至少为 max_seq_length × gradient_accumulation（{0}）；当前为 {1}。</translation>
    </message>
    <message>
        <source>Each batch must hold at least one full sequence: raise tokens_per_step or set it to 0.</source>
        <translation>每个批次必须至少容纳一个完整序列：请调大 tokens_per_step，或将其设为 0。</translation>
    </message>
    <message>
        <source>training.tokens_per_step {0} gives {1} tokens per batch over {2} batches per step, less than one sequence of {3} tokens.</source>
        <translation>training.tokens_per_step 为 {0} 时，每步分为 {2} 个批次，每批只有 {1} 个词元，不足一个 {3} 词元的序列。</translation>
    </message>
    <message>
        <source>Raise training.tokens_per_step to at least {0}, or lower gradient_accumulation.</source>
        <translation>请把 training.tokens_per_step 调到至少 {0}，或减小 gradient_accumulation。</translation>
    </message>
    <message>
        <source>training.precision bf16 needs a CPU with AVX512-BF16 or AMX; this one has neither (bf16 would be slower than fp32 here).</source>
        <translation>training.precision 设为 bf16 需要支持 AVX512-BF16 或 AMX 的 CPU；这台 CPU 两者都没有（在这里 bf16 会比 fp32 更慢）。</translation>
    </message>
    <message>
        <source>Use precision &apos;auto&apos; or &apos;fp32&apos; on this CPU.</source>
        <translation>在这台 CPU 上请使用 precision &apos;auto&apos; 或 &apos;fp32&apos;。</translation>
    </message>
    <message>
        <source>Preparing the general English sample</source>
        <translation>正在准备通用英文样本</translation>
    </message>
    <message>
        <source>{0} has no {1} column (looked for {2}; its columns: {3}).</source>
        <translation>{0} 没有 {1} 列（查找了 {2}；它的列：{3}）。</translation>
    </message>
    <message>
        <source>Name the {0} column with --{0}-column, or rename it in the file.</source>
        <translation>用 --{0}-column 指定 {0} 列，或在文件中给该列改名。</translation>
    </message>
    <message>
        <source>The labelled file {0} does not exist.</source>
        <translation>标注文件 {0} 不存在。</translation>
    </message>
    <message>
        <source>Choose a CSV, TSV or JSONL file with a text and a label column, or a folder with one sub-folder per label.</source>
        <translation>请选择含文本列和标签列的 CSV、TSV 或 JSONL 文件，或每个标签一个子文件夹的文件夹。</translation>
    </message>
    <message>
        <source>{0:,} rows with an empty text or label were skipped.</source>
        <translation>跳过了 {0:,} 行文本或标签为空的数据。</translation>
    </message>
    <message>
        <source>{0} holds no example with both a text and a label.</source>
        <translation>{0} 中没有同时具有文本和标签的样例。</translation>
    </message>
    <message>
        <source>Fill in the text and label columns (or put text files in the label folders).</source>
        <translation>请填写文本列和标签列（或把文本文件放进各标签文件夹）。</translation>
    </message>
    <message>
        <source>{0:,} examples: a sample of {1:,} (fixed seed) is used.</source>
        <translation>共 {0:,} 个样例：使用其中 {1:,} 个的抽样（固定随机种子）。</translation>
    </message>
    <message>
        <source>Every example has the same label ({0}): there is nothing to tell apart.</source>
        <translation>所有样例的标签都相同（{0}）：没有可区分的内容。</translation>
    </message>
    <message>
        <source>Give examples of at least two labels.</source>
        <translation>请提供至少两个标签的样例。</translation>
    </message>
    <message>
        <source>These labels have fewer than {0} examples, one per cross-validation fold: {1}.</source>
        <translation>以下标签的样例少于 {0} 个（交叉验证每折至少一个）：{1}。</translation>
    </message>
    <message>
        <source>Add examples to them, merge them into other labels, or remove them.</source>
        <translation>请为它们补充样例、并入其他标签，或删除它们。</translation>
    </message>
    <message>
        <source>{0} has no column {1} (its columns: {2}).</source>
        <translation>{0} 没有列 {1}（它的列：{2}）。</translation>
    </message>
    <message>
        <source>{0} has no sub-folders: a labelled folder holds one sub-folder per label.</source>
        <translation>{0} 没有子文件夹：标注文件夹应为每个标签放一个子文件夹。</translation>
    </message>
    <message>
        <source>Put the texts of each label in a sub-folder named after it, one text per file.</source>
        <translation>把每个标签的文本放进以该标签命名的子文件夹，每个文件一条文本。</translation>
    </message>
    <message>
        <source>{0} is not UTF-8 text.</source>
        <translation>{0} 不是 UTF-8 文本。</translation>
    </message>
    <message>
        <source>Save it as UTF-8 (a spreadsheet&apos;s &quot;CSV UTF-8&quot; export).</source>
        <translation>请另存为 UTF-8（电子表格的“CSV UTF-8”导出）。</translation>
    </message>
    <message>
        <source>Cannot read {0}: {1}</source>
        <translation>无法读取 {0}：{1}</translation>
    </message>
    <message>
        <source>Line {0} of {1} is not JSON.</source>
        <translation>{1} 的第 {0} 行不是 JSON。</translation>
    </message>
    <message>
        <source>A JSON-lines file holds one object per line, such as {&quot;text&quot;: &quot;…&quot;, &quot;label&quot;: &quot;…&quot;}.</source>
        <translation>JSON-lines 文件每行一个对象，例如 {&quot;text&quot;: &quot;…&quot;, &quot;label&quot;: &quot;…&quot;}。</translation>
    </message>
    <message>
        <source>Stopped before training started.</source>
        <translation>训练开始前已停止。</translation>
    </message>
    <message>
        <source>Faster than planned: {0:,} steps now fit the time budget</source>
        <translation>比计划更快：时间预算内现在可以完成 {0:,} 步</translation>
    </message>
    <message>
        <source>Cannot read {0}: {1}.</source>
        <translation>无法读取 {0}：{1}。</translation>
    </message>
    <message>
        <source>{0} holds files that are not a model or a run bertgui wrote ({1}); bertgui replaces only its own folders.</source>
        <translation>{0} 中有些文件既不是模型，也不是 bertgui 写出的运行（{1}）；bertgui 只会替换它自己的文件夹。</translation>
    </message>
    <message>
        <source>Choose a new or empty folder, or move those files away first.</source>
        <translation>请选择一个新的或空的文件夹，或先把这些文件移走。</translation>
    </message>
    <message>
        <source>{0} is a file, not a folder.</source>
        <translation>{0} 是一个文件，不是文件夹。</translation>
    </message>
    <message>
        <source>masking.mlm_cross_documents applies to MLM-only training; NSP pairs never cross documents.</source>
        <translation>masking.mlm_cross_documents 只适用于仅 MLM 的训练；NSP 句对从不跨文档。</translation>
    </message>
    <message>
        <source>Turn NSP off to train MLM only, or turn mlm_cross_documents off.</source>
        <translation>请关闭 NSP 以只训练 MLM，或关闭 mlm_cross_documents。</translation>
    </message>
    <message>
        <source>training.padding_free needs training.attention_dropout 0 and training.fast_mlm_head on (got {0} and {1}).</source>
        <translation>training.padding_free 需要 training.attention_dropout 为 0 且开启 training.fast_mlm_head（当前为 {0} 和 {1}）。</translation>
    </message>
    <message>
        <source>Set attention_dropout to 0 and fast_mlm_head to true, or turn padding_free off.</source>
        <translation>请把 attention_dropout 设为 0、fast_mlm_head 设为 true，或关闭 padding_free。</translation>
    </message>
    <message>
        <source>{0} holds no words: only spaces, punctuation and symbols.</source>
        <translation>{0} 中没有词语：只有空白、标点和符号。</translation>
    </message>
    <message>
        <source>{0}, line {1}: {2}.</source>
        <translation>{0}，第 {1} 行：{2}。</translation>
    </message>
    <message>
        <source>{0}: {1} document(s) skipped because they hold NUL bytes (binary data inside a text file).</source>
        <translation>{0}：跳过了 {1} 个含有 NUL 字节的文档（文本文件中夹杂了二进制数据）。</translation>
    </message>
    <message>
        <source>Check the file: it may be damaged or joined with a binary file.</source>
        <translation>请检查该文件：它可能已损坏，或与某个二进制文件拼接在了一起。</translation>
    </message>
    <message>
        <source>{0}: {1} line(s) skipped ({2} without the field {3!r}, {4} whose {3!r} is not text; the first at line {5}: {6}).</source>
        <translation>{0}：跳过了 {1} 行（{2} 行没有字段 {3!r}，{4} 行的 {3!r} 不是文本；第一处在第 {5} 行：{6}）。</translation>
    </message>
    <message>
        <source>Fix those lines, or choose the text column that every line has.</source>
        <translation>请修正这些行，或选择每一行都有的文本列。</translation>
    </message>
    <message>
        <source>no field {0!r} (has: {1})</source>
        <translation>没有字段 {0!r}（现有：{1}）</translation>
    </message>
    <message>
        <source>field {0!r} holds {1}, not text</source>
        <translation>字段 {0!r} 的值是 {1}，不是文本</translation>
    </message>
    <message>
        <source>The disk is full (writing under {0}; {1} free).</source>
        <translation>磁盘已满（写入位置 {0}；剩余 {1}）。</translation>
    </message>
    <message>
        <source>then resume from {0} (the last complete checkpoint).</source>
        <translation>然后从 {0}（最后一个完整的检查点）继续训练。</translation>
    </message>
    <message>
        <source>then start again (no checkpoint was saved whole).</source>
        <translation>然后重新开始（没有任何检查点被完整保存）。</translation>
    </message>
    <message>
        <source>Free some space, lower keep_checkpoints, or choose an output folder on another disk; {0}</source>
        <translation>请释放一些空间、调低 keep_checkpoints，或选择另一块磁盘上的输出文件夹；{0}</translation>
    </message>
    <message>
        <source>The run folder {0} disappeared while training (deleted, moved or unmounted).</source>
        <translation>训练期间运行文件夹 {0} 消失了（被删除、移动或卸载）。</translation>
    </message>
    <message>
        <source>Nothing more can be saved there. Put the folder back to resume from its last checkpoint, or start the run again.</source>
        <translation>那里已无法再保存任何内容。请把文件夹放回原处，以便从最后一个检查点继续训练，或重新开始这次运行。</translation>
    </message>
    <message>
        <source>A weights file is damaged or incomplete: {0}</source>
        <translation>某个权重文件已损坏或不完整：{0}</translation>
    </message>
    <message>
        <source>If it is a checkpoint, resume from the run folder (bertgui takes its newest complete checkpoint); if it is the base model, download or export it again.</source>
        <translation>如果是检查点，请从运行文件夹继续训练（bertgui 会选用最新的完整检查点）；如果是基础模型，请重新下载或导出它。</translation>
    </message>
    <message>
        <source>{0} holds no model.safetensors.</source>
        <translation>{0} 中没有 model.safetensors。</translation>
    </message>
    <message>
        <source>Export the run instead: it takes its newest complete checkpoint.</source>
        <translation>请改为导出该运行：导出会采用其最新的完整检查点。</translation>
    </message>
    <message>
        <source>{0} does not match the run&apos;s model (missing: {1}; unexpected: {2}).</source>
        <translation>{0} 与该运行的模型不匹配（缺少：{1}；多余：{2}）。</translation>
    </message>
    <message>
        <source>trainer_state.json names step {0}, the folder step {1}</source>
        <translation>trainer_state.json 记录的是第 {0} 步，而文件夹名是第 {1} 步</translation>
    </message>
    <message>
        <source>it holds no model weights</source>
        <translation>其中没有模型权重</translation>
    </message>
    <message>
        <source>optimizer.pt is missing</source>
        <translation>缺少 optimizer.pt</translation>
    </message>
    <message>
        <source>{0} is empty or damaged</source>
        <translation>{0} 为空或已损坏</translation>
    </message>
    <message>
        <source>{0} has no {1}: the resumed run&apos;s random draws (dropout) differ from an uninterrupted run&apos;s, so its losses will not match it exactly</source>
        <translation>{0} 中没有 {1}：继续训练时的随机抽样（dropout）与未中断的运行不同，因此损失不会与之完全一致</translation>
    </message>
    <message>
        <source>{0} is damaged and is skipped: {1}.</source>
        <translation>{0} 已损坏，已跳过：{1}。</translation>
    </message>
    <message>
        <source>{0} does not exist.</source>
        <translation>{0} 不存在。</translation>
    </message>
    <message>
        <source>Choose the output folder of an earlier bertgui run.</source>
        <translation>请选择先前某次 bertgui 运行的输出文件夹。</translation>
    </message>
    <message>
        <source>{0} is not a run bertgui wrote (it has no run.json of bertgui&apos;s); bertgui resumes only its own runs and writes nothing into this folder.</source>
        <translation>{0} 不是 bertgui 写出的运行（其中没有 bertgui 的 run.json）；bertgui 只继续自己的运行，不会向这个文件夹写入任何内容。</translation>
    </message>
    <message>
        <source>Start a new run with --output in a new folder (the model in it can be its base with --model).</source>
        <translation>请用 --output 在一个新文件夹中开始新的运行（可以用 --model 把其中的模型作为基础模型）。</translation>
    </message>
    <message>
        <source>trainer_state.json is missing or unreadable</source>
        <translation>trainer_state.json 缺失或无法读取</translation>
    </message>
    <message>
        <source>trainer_state.json is empty or damaged</source>
        <translation>trainer_state.json 为空或已损坏</translation>
    </message>
    <message>
        <source>Resuming from {0} (step {1}), the newest complete checkpoint.</source>
        <translation>从 {0}（第 {1} 步）继续训练，这是最新的完整检查点。</translation>
    </message>
    <message>
        <source>Padding-free batches on {0}: attention uses a dense document mask there (flex attention trains only on CUDA GPUs), so the run is correct but not faster.</source>
        <translation>在 {0} 上使用无填充批次：这里的注意力使用稠密的文档掩码（flex attention 只能在 CUDA GPU 上训练），因此训练结果正确，但不会更快。</translation>
    </message>
    <message>
        <source>training.padding_free supports BERT models; {0} is a {1} model.</source>
        <translation>training.padding_free 只支持 BERT 模型；{0} 是 {1} 模型。</translation>
    </message>
    <message>
        <source>Turn padding_free off for this model.</source>
        <translation>请为这个模型关闭 padding_free。</translation>
    </message>
    <message>
        <source>{0} is damaged: {1}.</source>
        <translation>{0} 已损坏：{1}。</translation>
    </message>
    <message>
        <source>Resume from the run folder: bertgui takes its newest complete checkpoint.</source>
        <translation>请从运行文件夹继续：bertgui 会使用其中最新的完整检查点。</translation>
    </message>
    <message>
        <source>Run {0} trained all {1} of its steps but was interrupted before its end was recorded (while its final model was written): finishing it from {2}, without training further.</source>
        <translation>运行 {0} 已训练完全部 {1} 步，但在记录结束之前（写入最终模型时）被中断：从 {2} 完成它，不再继续训练。</translation>
    </message>
    <message>
        <source>Learning rate {0:g} ({1:g} × {2:g}): the base model has no MLM head, so its encoder learns to fill in words again (training.headless_lr_scale)</source>
        <translation>学习率 {0:g}（{1:g} × {2:g}）：基础模型没有 MLM 头，其编码器需要重新学习填词（training.headless_lr_scale）</translation>
    </message>
    <message>
        <source>Interrupted after its last step, while its final model was written: resume finishes it without training further.</source>
        <translation>在最后一步之后、写入最终模型时被中断：继续运行会完成它，不再继续训练。</translation>
    </message>
    <message>
        <source>{0} is damaged (its header does not parse)</source>
        <translation>{0} 已损坏（其文件头无法解析）</translation>
    </message>
    <message>
        <source>{0} is cut short ({1:,} of {2:,} bytes)</source>
        <translation>{0} 被截断了（{2:,} 字节中只有 {1:,} 字节）</translation>
    </message>
    <message>
        <source>Choose a folder (a new or empty one).</source>
        <translation>请选择一个文件夹（新的或空的）。</translation>
    </message>
    <message>
        <source>{0} holds files bertgui did not write ({1}); replacing the folder would delete them.</source>
        <translation>{0} 中有不是 bertgui 写入的文件（{1}）；替换该文件夹会删除它们。</translation>
    </message>
    <message>
        <source>Move those files away first, or choose a new or empty folder.</source>
        <translation>请先把这些文件移走，或选择一个新的或空的文件夹。</translation>
    </message>
    <message>
        <source>{0} cannot be read ({1})</source>
        <translation>{0} 无法读取（{1}）</translation>
    </message>
    <message>
        <source>{0} is cut short or damaged ({1:,} bytes)</source>
        <translation>{0} 被截断或已损坏（{1:,} 字节）</translation>
    </message>
    <message>
        <source>Choose a folder you can read and write.</source>
        <translation>请选择一个你可以读写的文件夹。</translation>
    </message>
    <message>
        <source>{0} is cut short ({1} bytes)</source>
        <translation>{0} 被截断了（{1} 字节）</translation>
    </message>
    <message>
        <source>{0} is cut short or damaged (its header says {1:,} bytes, the file has {2:,})</source>
        <translation>{0} 被截断或已损坏（文件头声明 {1:,} 字节，文件只有 {2:,} 字节）</translation>
    </message>
    <message>
        <source>{0} is cut short ({1:,} bytes)</source>
        <translation>{0} 被截断了（{1:,} 字节）</translation>
    </message>
    <message>
        <source>none of {0}</source>
        <translation>没有 {0} 中的任何一个</translation>
    </message>
    <message>
        <source>vocab.json without merges.txt</source>
        <translation>有 vocab.json 但缺少 merges.txt</translation>
    </message>
    <message>
        <source>{0} needs its own Python code to load ({1}); bertgui never runs code from a model folder.</source>
        <translation>{0} 需要运行它自带的 Python 代码才能加载（{1}）；bertgui 从不运行模型文件夹中的代码。</translation>
    </message>
    <message>
        <source>Choose a model of an architecture transformers ships (BERT, RoBERTa, DistilBERT, ModernBERT, …). If this one is a standard architecture, remove auto_map (and custom_pipelines) from its config files.</source>
        <translation>请选择 transformers 自带架构的模型（BERT、RoBERTa、DistilBERT、ModernBERT 等）。如果这个模型其实是标准架构，请从它的配置文件中删除 auto_map（以及 custom_pipelines）。</translation>
    </message>
    <message>
        <source>{0} has its weights only as pickle files ({1}); pickle can run code when loaded.</source>
        <translation>{0} 的权重只有 pickle 文件（{1}）；pickle 文件在加载时可能执行代码。</translation>
    </message>
    <message>
        <source>Load it only if you trust its source: allow pickle weights (--allow-pickle), or convert it to .safetensors.</source>
        <translation>只有在信任其来源时才加载它：允许使用 pickle 权重（--allow-pickle），或把它转换为 .safetensors。</translation>
    </message>
    <message>
        <source>{0}&apos;s config.json describes a model of {1:,} parameters: its weights alone need about {2:.1f} GB of memory, and this computer has {3:.1f} GB free.</source>
        <translation>{0} 的 config.json 描述的是一个有 {1:,} 个参数的模型：仅权重就需要约 {2:.1f} GB 内存，而这台计算机只有 {3:.1f} GB 可用。</translation>
    </message>
    <message>
        <source>Check config.json (num_hidden_layers, hidden_size), or choose a smaller model.</source>
        <translation>请检查 config.json（num_hidden_layers、hidden_size），或选择更小的模型。</translation>
    </message>
    <message>
        <source>{0}&apos;s config.json describes a model of {1:,} parameters, but its weights hold {2:,}: the config does not belong to these weights.</source>
        <translation>{0} 的 config.json 描述的是一个有 {1:,} 个参数的模型，但其权重只有 {2:,} 个：该配置与这些权重不匹配。</translation>
    </message>
    <message>
        <source>Check config.json (num_hidden_layers, hidden_size, vocab_size), or download the model again.</source>
        <translation>请检查 config.json（num_hidden_layers、hidden_size、vocab_size），或重新下载模型。</translation>
    </message>
    <message>
        <source>{0}: {1} cannot be read (it holds no settings).</source>
        <translation>{0}：无法读取 {1}（其中没有任何设置）。</translation>
    </message>
    <message>
        <source>{0} has weights but no tokenizer files ({1}); transformers would make up an empty tokenizer.</source>
        <translation>{0} 有权重但没有分词器文件（{1}）；transformers 会凭空生成一个空的分词器。</translation>
    </message>
    <message>
        <source>Copy the tokenizer of the model it was trained from into the folder: one of {0} (tokenizer.save_pretrained(folder) writes them).</source>
        <translation>请把训练该模型时所用基础模型的分词器复制到这个文件夹：需要 {0} 中的一个（tokenizer.save_pretrained(folder) 会写出这些文件）。</translation>
    </message>
    <message>
        <source>{0} is a &apos;{1}&apos; model, a type this transformers ({2}) does not know.</source>
        <translation>{0} 是 &apos;{1}&apos; 类型的模型，当前的 transformers（{2}）不认识这种类型。</translation>
    </message>
    <message>
        <source>bertgui runs no code from model folders: choose a model of an architecture transformers ships, or update transformers.</source>
        <translation>bertgui 不运行模型文件夹中的代码：请选择 transformers 自带架构的模型，或更新 transformers。</translation>
    </message>
    <message>
        <source>{0} is a {1} model ({2}), which cannot do masked language modelling.</source>
        <translation>{0} 是 {1} 模型（{2}），无法进行掩码语言模型训练。</translation>
    </message>
    <message>
        <source>Choose a BERT-family model (BERT, RoBERTa, DistilBERT, ModernBERT, …).</source>
        <translation>请选择 BERT 系列的模型（BERT、RoBERTa、DistilBERT、ModernBERT 等）。</translation>
    </message>
    <message>
        <source>{0}&apos;s tokenizer does not fit the model: {1:,} tokens for {2:,} embedding rows.</source>
        <translation>{0} 的分词器与模型不匹配：{1:,} 个词元，但嵌入层有 {2:,} 行。</translation>
    </message>
    <message>
        <source>The tokenizer files belong to another model. Copy in the tokenizer the model was trained with (it has {0:,} tokens, or a few fewer when the embeddings were padded).</source>
        <translation>这些分词器文件属于另一个模型。请复制训练该模型时所用的分词器（它有 {0:,} 个词元；如果嵌入层做过填充，会略少一些）。</translation>
    </message>
    <message>
        <source>{0}&apos;s tokenizer turns {1:.0%} of the corpus sample into [UNK]: it cannot read this text.</source>
        <translation>{0} 的分词器把语料样本中 {1:.0%} 的内容变成了 [UNK]：它读不懂这段文本。</translation>
    </message>
    <message>
        <source>{0}: {1}.</source>
        <translation>{0}：{1}。</translation>
    </message>
    <message>
        <source>The file is damaged or incomplete: download or export the model again.</source>
        <translation>该文件已损坏或不完整：请重新下载或导出模型。</translation>
    </message>
    <message>
        <source>{0}: {1} cannot be read ({2}).</source>
        <translation>{0}：无法读取 {1}（{2}）。</translation>
    </message>
    <message>
        <source>{0}&apos;s pickle weights hold more than tensors, so torch&apos;s safe loader refused them ({1}).</source>
        <translation>{0} 的 pickle 权重中不只有张量，因此 torch 的安全加载器拒绝加载（{1}）。</translation>
    </message>
    <message>
        <source>bertgui loads pickles only with the safe loader, even with --allow-pickle. If you trust the file, convert it to .safetensors in a separate environment; otherwise choose another model.</source>
        <translation>即使指定了 --allow-pickle，bertgui 也只用安全加载器加载 pickle 文件。如果你信任该文件，请在另一个独立的环境中把它转换为 .safetensors；否则请改选其他模型。</translation>
    </message>
    <message>
        <source>A weights file of {0} is damaged ({1}): {2}</source>
        <translation>{0} 的某个权重文件已损坏（{1}）：{2}</translation>
    </message>
    <message>
        <source>{0} is not in the local model cache, and the Hugging Face Hub cannot be reached ({1}).</source>
        <translation>本地模型缓存中没有 {0}，且无法连接到 Hugging Face Hub（{1}）。</translation>
    </message>
    <message>
        <source>Check the internet connection (and HTTPS_PROXY, if you use a proxy). To work offline: {0}</source>
        <translation>请检查网络连接（如果使用代理，还要检查 HTTPS_PROXY）。离线使用方法：{0}</translation>
    </message>
    <message>
        <source>Choose another folder (--output) on a disk you can write to.</source>
        <translation>请在你有写入权限的磁盘上另选一个文件夹（--output）。</translation>
    </message>
    <message>
        <source>{0} cannot be written: {1} is a file, not a folder.</source>
        <translation>无法写入 {0}：{1} 是一个文件，不是文件夹。</translation>
    </message>
    <message>
        <source>Choose a new or empty folder.</source>
        <translation>请选择一个新的或空的文件夹。</translation>
    </message>
    <message>
        <source>{0} cannot be written ({1}).</source>
        <translation>无法写入 {0}（{1}）。</translation>
    </message>
    <message>
        <source>This model has no masked-word head.</source>
        <translation>这个模型没有掩码词预测头。</translation>
    </message>
    <message>
        <source>Use a model trained for fill-mask (BertForPreTraining or a …ForMaskedLM model).</source>
        <translation>请使用为填空（fill-mask）训练的模型（BertForPreTraining 或 …ForMaskedLM 模型）。</translation>
    </message>
    <message>
        <source>This tokenizer has no mask token.</source>
        <translation>这个分词器没有掩码词元。</translation>
    </message>
    <message>
        <source>Use a tokenizer of a masked-language model.</source>
        <translation>请使用掩码语言模型的分词器。</translation>
    </message>
    <message>
        <source>The text has no {0}.</source>
        <translation>文本中没有 {0}。</translation>
    </message>
    <message>
        <source>Write {0} where a word should be guessed.</source>
        <translation>请在需要模型猜测的位置写上 {0}。</translation>
    </message>
    <message>
        <source>{0} has no next-sentence head.</source>
        <translation>{0} 没有下一句预测头。</translation>
    </message>
    <message>
        <source>Next-sentence prediction needs a BERT trained with NSP (BertForPreTraining); MLM-only models can only fill masks.</source>
        <translation>下一句预测需要用 NSP 训练过的 BERT（BertForPreTraining）；只做过掩码语言模型训练的模型只能填空。</translation>
    </message>
    <message>
        <source>{0} gave no next-sentence output.</source>
        <translation>{0} 没有给出下一句预测的输出。</translation>
    </message>
    <message>
        <source>Use a BertForPreTraining model trained with NSP.</source>
        <translation>请使用用 NSP 训练过的 BertForPreTraining 模型。</translation>
    </message>
    <message>
        <source>No checkpoint of this run has an evaluation at its step: nothing to choose from.</source>
        <translation>这次运行没有哪个检查点在其步数上做过评估：无从选择。</translation>
    </message>
    <message>
        <source>Every evaluated checkpoint forgot more than {0:.0%} (general text or embedding check) compared with the base model: choose one by hand.</source>
        <translation>与基础模型相比，每个评估过的检查点都遗忘了超过 {0:.0%}（通用文本或嵌入检查）：请手动选择一个。</translation>
    </message>
    <message>
        <source>Best trade-off: step {0}, the lowest held-out perplexity whose general text and embedding check stay within {1:.0%} of the base model.</source>
        <translation>最佳折中：第 {0} 步——在通用文本和嵌入检查都保持在基础模型 {1:.0%} 以内的检查点中，留出文本困惑度最低。</translation>
    </message>
    <message>
        <source>Embedding check: how often the model finds the passage that belongs with a passage of yours (the next one in the same document) among all the others, by the similarity of their sentence embeddings; higher is better. MRR 1 would always rank it first.</source>
        <translation>嵌入检查：按句向量的相似度，模型在所有段落中找到与您的某段相配的段落（同一文档中的下一段）的频率；越高越好。MRR 为 1 表示总是排在第一。</translation>
    </message>
    <message>
        <source>Your embeddings got worse: the embedding check&apos;s MRR fell from {0:.3f} to {1:.3f} on your held-out text.</source>
        <translation>您的嵌入变差了：在您的留出文本上，嵌入检查的 MRR 从 {0:.3f} 降到 {1:.3f}。</translation>
    </message>
    <message>
        <source>If you use the model for search or similarity, keep the base model for that, or train fewer steps or at a lower learning rate; for filling in words and fine-tuning the tuned model may still be better.</source>
        <translation>如果您用模型做检索或相似度，请在这些用途上保留基础模型，或减少训练步数、降低学习率；对于填词和微调，训练后的模型可能仍然更好。</translation>
    </message>
    <message>
        <source>held-out text</source>
        <translation>留出文本</translation>
    </message>
    <message>
        <source>Embedding check on {0}: MRR {1:.3f} → {2:.3f}, recall@1 {3:.1%} → {4:.1%}, recall@10 {5:.1%} → {6:.1%} (at random: MRR {7:.3f}).</source>
        <translation>{0}上的嵌入检查：MRR {1:.3f} → {2:.3f}，recall@1 {3:.1%} → {4:.1%}，recall@10 {5:.1%} → {6:.1%}（随机排序：MRR {7:.3f}）。</translation>
    </message>
    <message>
        <source>general text</source>
        <translation>通用文本</translation>
    </message>
    <message>
        <source>Not copied from the base model: {0}.</source>
        <translation>未从基础模型复制：{0}。</translation>
    </message>
    <message>
        <source>{0} is the exported run&apos;s own folder or holds it ({1}): exporting there would delete the run.</source>
        <translation>{0} 是被导出运行自身的文件夹或包含该运行（{1}）：导出到那里会删除这次运行。</translation>
    </message>
    <message>
        <source>Choose an output folder outside the run, such as {0}.</source>
        <translation>请选择运行之外的输出文件夹，例如 {0}。</translation>
    </message>
    <message>
        <source>{0} (a link to a folder)</source>
        <translation>{0}（指向文件夹的链接）</translation>
    </message>
    <message>
        <source>Export to {0} failed: the disk is full.</source>
        <translation>导出到 {0} 失败：磁盘已满。</translation>
    </message>
    <message>
        <source>Free some space or choose a folder on another disk, then export again.</source>
        <translation>请腾出一些空间，或选择另一块磁盘上的文件夹，然后重新导出。</translation>
    </message>
    <message>
        <source>{0} (a link that leaves the model folder)</source>
        <translation>{0}（指向模型文件夹之外的链接）</translation>
    </message>
    <message>
        <source>{0} (not a regular file)</source>
        <translation>{0}（不是普通文件）</translation>
    </message>
    <message>
        <source>{0} (a pickle file)</source>
        <translation>{0}（pickle 文件）</translation>
    </message>
    <message>
        <source>{0} (not a model file)</source>
        <translation>{0}（不是模型文件）</translation>
    </message>
    <message>
        <source>Publishing to {0} failed ({1}: {2}).</source>
        <translation>发布到 {0} 失败（{1}：{2}）。</translation>
    </message>
    <message>
        <source>Check the internet connection and publish again; the exported folder is unchanged.</source>
        <translation>请检查网络连接后重新发布；导出的文件夹没有改动。</translation>
    </message>
    <message>
        <source>{0!r} is not a Hub repository name.</source>
        <translation>{0!r} 不是有效的 Hub 仓库名称。</translation>
    </message>
    <message>
        <source>Use the form your-name/model-name.</source>
        <translation>请使用 your-name/model-name 这样的格式。</translation>
    </message>
    <message>
        <source>{0} is not a complete export (missing {1}).</source>
        <translation>{0} 不是完整的导出结果（缺少 {1}）。</translation>
    </message>
    <message>
        <source>Export the model first (bertgui export RUN_DIR OUTPUT), then publish that folder.</source>
        <translation>请先导出模型（bertgui export RUN_DIR OUTPUT），再发布导出的文件夹。</translation>
    </message>
    <message>
        <source>Offline mode is on (HF_HUB_OFFLINE), so nothing was published.</source>
        <translation>离线模式已开启（HF_HUB_OFFLINE），因此没有发布任何内容。</translation>
    </message>
    <message>
        <source>Unset HF_HUB_OFFLINE (and TRANSFORMERS_OFFLINE) on a machine with internet, then publish the exported folder again.</source>
        <translation>请在能联网的机器上取消设置 HF_HUB_OFFLINE（以及 TRANSFORMERS_OFFLINE），然后重新发布导出的文件夹。</translation>
    </message>
    <message>
        <source>No Hugging Face token was found, so nothing was published.</source>
        <translation>未找到 Hugging Face 访问令牌，因此没有发布任何内容。</translation>
    </message>
    <message>
        <source>Run `hf auth login` (or set HF_TOKEN to a token with write access), then publish again.</source>
        <translation>请运行 `hf auth login`（或把 HF_TOKEN 设为一个有写入权限的访问令牌），然后重新发布。</translation>
    </message>
    <message>
        <source>Creating {0} on the Hub</source>
        <translation>正在 Hub 上创建 {0}</translation>
    </message>
    <message>
        <source>Published {0}</source>
        <translation>已发布 {0}</translation>
    </message>
    <message>
        <source>The Hub refused the token (401), so nothing was published.</source>
        <translation>Hub 拒绝了该访问令牌（401），因此没有发布任何内容。</translation>
    </message>
    <message>
        <source>Run `hf auth login` again with a token that has write access.</source>
        <translation>请使用一个有写入权限的访问令牌重新运行 `hf auth login`。</translation>
    </message>
    <message>
        <source>The token may not write to {0} (403).</source>
        <translation>该访问令牌没有写入 {0} 的权限（403）。</translation>
    </message>
    <message>
        <source>Choose a repository under your own name, or a token with write access to it.</source>
        <translation>请选择你自己名下的仓库，或使用一个对该仓库有写入权限的访问令牌。</translation>
    </message>
    <message>
        <source>Uploading {0} files to {1}</source>
        <translation>正在把 {0} 个文件上传到 {1}</translation>
    </message>
    <message>
        <source>Perplexity: how surprised the model is by held-out text of yours; lower is better (1 would be perfect).</source>
        <translation>困惑度：模型对你的留出文本有多“意外”；越低越好（1 表示完美）。</translation>
    </message>
    <message>
        <source>MLM loss: the average penalty for the hidden words of held-out text; lower is better. Perplexity is its exponential.</source>
        <translation>MLM 损失：模型在留出文本中被遮住的词上受到的平均惩罚；越低越好。困惑度是它的指数。</translation>
    </message>
    <message>
        <source>Masked-word accuracy: how often the model&apos;s first guess for a hidden word of held-out text is exactly right; higher is better.</source>
        <translation>掩码词预测准确率：对留出文本中被遮住的词，模型第一个猜测完全正确的频率；越高越好。</translation>
    </message>
    <message>
        <source>NSP accuracy: how often the model tells whether sentence B really follows sentence A; higher is better, and only above the majority share does it mean anything.</source>
        <translation>NSP 准确率：模型判断句子 B 是否真的紧接在句子 A 之后的正确频率；越高越好，且只有高于多数类比例时才有意义。</translation>
    </message>
    <message>
        <source>NSP loss: the average penalty of the next-sentence answers; lower is better.</source>
        <translation>NSP 损失：下一句预测回答的平均惩罚；越低越好。</translation>
    </message>
    <message>
        <source>General-text perplexity: the same measure on general text, not yours; if it rises a lot, the model is forgetting what it knew.</source>
        <translation>通用文本困惑度：在通用文本（而不是你的文本）上的同一指标；如果它大幅上升，说明模型正在遗忘原有的知识。</translation>
    </message>
    <message>
        <source>Held-out sequences: how many pieces of your held-out documents were measured; more makes the figures more trustworthy.</source>
        <translation>留出序列：从你的留出文档中参与测量的片段数量；越多，数据越可信。</translation>
    </message>
    <message>
        <source>Masked tokens: how many hidden words the figures are based on; below about 200 they are mostly noise.</source>
        <translation>掩码词元：这些数据所依据的被遮住词的数量；少于约 200 个时，数据基本只是噪声。</translation>
    </message>
    <message>
        <source>Majority share: the NSP accuracy of always giving the more common answer on these very pairs.</source>
        <translation>多数类比例：在这些句对上总是给出较常见答案时的 NSP 准确率。</translation>
    </message>
    <message>
        <source>Most-frequent-word accuracy: the masked-word accuracy of always guessing the most frequent word of these very masks.</source>
        <translation>最高频词准确率：在这些掩码位置上总是猜最高频的词时的掩码词预测准确率。</translation>
    </message>
    <message>
        <source>Tokens per second: how much text the model reads per second while training; depends on the machine and on what else runs on it.</source>
        <translation>每秒词元数：训练时模型每秒读取的文本量；取决于机器本身以及机器上同时运行的其他程序。</translation>
    </message>
    <message>
        <source>Steps: how many times the model was updated, each time on one batch of sequences.</source>
        <translation>步数：模型被更新的次数，每次基于一批序列。</translation>
    </message>
    <message>
        <source>The held-out set is too small to trust: {0} masked words and {1} pairs (want at least {2} and {3}).</source>
        <translation>留出集太小，结果不可信：只有 {0} 个掩码词和 {1} 个句对（至少需要 {2} 个和 {3} 个）。</translation>
    </message>
    <message>
        <source>…{0} [{1}] {2}…: {3} ({4:.0%}) → {5} ({6:.0%})</source>
        <translation>…{0} [{1}] {2}…：{3}（{4:.0%}）→ {5}（{6:.0%}）</translation>
    </message>
    <message>
        <source>Raise the held-out share from {0:.0%} to about {1:.0%}, or add more text.</source>
        <translation>请把留出比例从 {0:.0%} 提高到约 {1:.0%}，或者添加更多文本。</translation>
    </message>
    <message>
        <source>Held-out loss rose from {0:.3f} (step {1}) to {2:.3f} (step {3}) while the training loss fell: the model is memorising your training text.</source>
        <translation>留出损失从 {0:.3f}（第 {1} 步）升高到 {2:.3f}（第 {3} 步），而训练损失却在下降：模型正在死记你的训练文本。</translation>
    </message>
    <message>
        <source>Train fewer passes (epochs or a shorter time budget), or add more text.</source>
        <translation>请减少训练遍数（减少轮数或缩短时间预算），或者添加更多文本。</translation>
    </message>
    <message>
        <source>Add about {0:,} KB of text (about {1:.0f}× what the held-out share sees now), or raise the held-out share.</source>
        <translation>请再添加约 {0:,} KB 的文本（约为留出部分目前所见文本量的 {1:.0f} 倍），或者提高留出比例。</translation>
    </message>
    <message>
        <source>Add about {0:.0f}× more text, or raise the held-out share (corpus.eval_share).</source>
        <translation>请添加约 {0:.0f} 倍的文本，或者提高留出比例（corpus.eval_share）。</translation>
    </message>
    <message>
        <source>too few steps to get past the warm-up</source>
        <translation>步数太少，还没度过预热阶段</translation>
    </message>
    <message>
        <source>a learning rate too high for this model (try half)</source>
        <translation>学习率对这个模型来说太高（可尝试减半）</translation>
    </message>
    <message>
        <source>a base model that was itself random (a new small model learns slowly at first)</source>
        <translation>基础模型本身就是随机初始化的（新建的小模型一开始学得很慢）</translation>
    </message>
    <message>
        <source>NSP accuracy {0:.1%}; always giving the more common answer would score {1:.1%} on these pairs.</source>
        <translation>NSP 准确率为 {0:.1%}；在这些句对上总是给出较常见的答案也能得到 {1:.1%}。</translation>
    </message>
    <message>
        <source>Masked-word accuracy {0:.1%}; always guessing the most frequent word (&apos;{1}&apos;) would score {2:.1%}.</source>
        <translation>掩码词预测准确率为 {0:.1%}；总是猜最高频的词（&apos;{1}&apos;）也能得到 {2:.1%}。</translation>
    </message>
    <message>
        <source>its {0} started at random and needs more steps</source>
        <translation>它的 {0} 是随机初始化的，需要更多步数</translation>
    </message>
    <message>
        <source>The model got worse on your held-out text: perplexity {0:.1f} → {1:.1f}.</source>
        <translation>模型在你的留出文本上变差了：困惑度 {0:.1f} → {1:.1f}。</translation>
    </message>
    <message>
        <source>Likely causes: {0}.</source>
        <translation>可能的原因：{0}。</translation>
    </message>
    <message>
        <source>General-text perplexity rose {0:.0%} ({1:.1f} → {2:.1f}): the model is forgetting general language.</source>
        <translation>通用文本困惑度上升了 {0:.0%}（{1:.1f} → {2:.1f}）：模型正在遗忘通用语言知识。</translation>
    </message>
    <message>
        <source>Mix in general text (corpus.replay_share), lower the learning rate, or train fewer passes.</source>
        <translation>请混入通用文本（corpus.replay_share）、降低学习率，或者减少训练遍数。</translation>
    </message>
    <message>
        <source>The base model came without {0}: they were fitted first ({1:.0f} s, the rest of the model frozen), and the figures before training are the base model with those heads.</source>
        <translation>基础模型没有自带 {0}：已先拟合这些头（{1:.0f} 秒，模型其余部分冻结），训练前的数字是带有这些头的基础模型的结果。</translation>
    </message>
    <message>
        <source>With random heads the held-out perplexity was about {0:,.0f}: that figure says nothing about the model.</source>
        <translation>使用随机初始化的头时，留出文本上的困惑度约为 {0:,.0f}：这个数字不能说明模型的好坏。</translation>
    </message>
    <message>
        <source>The base model&apos;s MLM head started at random: its guesses (and its figures before training) mean nothing.</source>
        <translation>基础模型的 MLM 头是随机初始化的：它的猜测（以及训练前的各项数据）没有意义。</translation>
    </message>
    <message>
        <source>Fitting the classifiers</source>
        <translation>正在拟合分类器</translation>
    </message>
    <message>
        <source>{0:,} examples, {1} labels, {2}-fold cross-validation; always guessing the most common label scores {3:.1%}.</source>
        <translation>{0:,} 个样例，{1} 个标签，{2} 折交叉验证；总是猜最常见的标签可得 {3:.1%}。</translation>
    </message>
    <message>
        <source>Loading {0} ({1} of {2})</source>
        <translation>正在加载{0}（第 {1} 个，共 {2} 个）</translation>
    </message>
    <message>
        <source>{0}: accuracy {1:.1%} ({2:.1%}–{3:.1%}), macro-F1 {4:.3f} ({5:.3f}–{6:.3f})</source>
        <translation>{0}：准确率 {1:.1%}（{2:.1%}–{3:.1%}），宏 F1 {4:.3f}（{5:.3f}–{6:.3f}）</translation>
    </message>
    <message>
        <source>Embedding the examples with {0} ({1} of {2})</source>
        <translation>正在用{0}计算样例的嵌入（第 {1} 个，共 {2} 个）</translation>
    </message>
    <message>
        <source>{0} is better than {1}: macro-F1 {2:+.3f} ({3:+.3f} to {4:+.3f}), beyond the noise.</source>
        <translation>{0}优于{1}：宏 F1 {2:+.3f}（{3:+.3f} 至 {4:+.3f}），超出噪声范围。</translation>
    </message>
    <message>
        <source>{0} is worse than {1}: macro-F1 {2:+.3f} ({3:+.3f} to {4:+.3f}), beyond the noise.</source>
        <translation>{0}不如{1}：宏 F1 {2:+.3f}（{3:+.3f} 至 {4:+.3f}），超出噪声范围。</translation>
    </message>
    <message>
        <source>{0} and {1} do not differ beyond the noise: macro-F1 {2:+.3f} ({3:+.3f} to {4:+.3f}).</source>
        <translation>{0}与{1}的差别未超出噪声范围：宏 F1 {2:+.3f}（{3:+.3f} 至 {4:+.3f}）。</translation>
    </message>
    <message>
        <source>What the model learned (base guess → tuned guess):</source>
        <translation>模型学到了什么（基础模型的猜测 → 调优后模型的猜测）：</translation>
    </message>
    <message>
        <source>Judge the tuned model by its own guesses and by the held-out perplexity after training (fitting the heads first, training.head_warmup_share, gives a meaningful &apos;before&apos;).</source>
        <translation>请根据调优后模型自己的猜测和训练后留出文本上的困惑度来评判它（先拟合新头，即 training.head_warmup_share，才能得到有意义的“训练前”数字）。</translation>
    </message>
    <message>
        <source>Masked-word accuracy {0:.1%} is no better than always guessing the most frequent word ({1:.1%}): the model has not yet learnt to read your text.</source>
        <translation>掩码词准确率 {0:.1%} 不比总是猜最常见的词（{1:.1%}）更好：模型还没有学会读懂你的文本。</translation>
    </message>
    <message>
        <source>Train longer (a time budget of 20 minutes or more on a CPU), or start from a model that comes with its MLM head.</source>
        <translation>训练更久（在 CPU 上时间预算 20 分钟或以上），或从自带 MLM 头的模型开始。</translation>
    </message>
    <message>
        <source>NSP accuracy {0:.1%} is no better than always giving the more common answer ({1:.1%}).</source>
        <translation>NSP 准确率 {0:.1%}，并不比总是给出较常见的答案（{1:.1%}）更好。</translation>
    </message>
    <message>
        <source>The NSP head has not learnt the task yet: train longer, or keep balanced NSP on (masking.nsp_balanced) so the labels are half and half.</source>
        <translation>NSP 头还没有学会这项任务：请训练更长时间，或保持开启均衡 NSP（masking.nsp_balanced），使正负标签各占一半。</translation>
    </message>
    <message>
        <source>Choose text files (.txt, .md) or tables (.csv, .tsv, .jsonl) with a text column.</source>
        <translation>请选择文本文件（.txt、.md），或带文本列的表格（.csv、.tsv、.jsonl）。</translation>
    </message>
    <message>
        <source>corpus prepared</source>
        <translation>语料已准备好</translation>
    </message>
    <message>
        <source>corpus loaded from the cache</source>
        <translation>已从缓存加载语料</translation>
    </message>
    <message>
        <source>{0} of {1} MB tokenized</source>
        <translation>已分词 {0} / {1} MB</translation>
    </message>
    <message>
        <source>A worker process preparing the corpus died (out of memory?).</source>
        <translation>准备语料的工作进程意外退出了（可能是内存不足）。</translation>
    </message>
    <message>
        <source>Close other programs or prepare with fewer processes, then try again.</source>
        <translation>请关闭其他程序，或减少准备语料所用的进程数，然后重试。</translation>
    </message>
    <message>
        <source>No usable text in the corpus. {0}</source>
        <translation>语料中没有可用的文字。{0}</translation>
    </message>
    <message>
        <source>No usable text in the corpus.</source>
        <translation>语料中没有可用的文字。</translation>
    </message>
</context>
<context>
    <name>CorpusPage</name>
    <message>
        <source>Corpus</source>
        <translation>语料</translation>
    </message>
    <message>
        <source>Open the text the model should learn: .txt or .md files, tables (.csv, .tsv, .jsonl) or a folder of them. You can also drop files here. To try the whole flow at once, use the sample corpus.</source>
        <translation>打开要让模型学习的文本：.txt 或 .md 文件、表格（.csv、.tsv、.jsonl），或包含这些文件的文件夹。也可以把文件直接拖到这里。想先完整体验一遍流程，可以使用示例语料。</translation>
    </message>
    <message>
        <source>Open files…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <source>Open folder…</source>
        <translation>打开文件夹…</translation>
    </message>
    <message>
        <source>Use the sample corpus (Python language reference)</source>
        <translation>使用示例语料（Python 语言参考手册）</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>a blank line ends a document</source>
        <translation>空行表示文档结束</translation>
    </message>
    <message>
        <source>every line is a document</source>
        <translation>每行一篇文档</translation>
    </message>
    <message>
        <source>every file is a document</source>
        <translation>每个文件一篇文档</translation>
    </message>
    <message>
        <source>Text column</source>
        <translation>文本列</translation>
    </message>
    <message>
        <source>Chosen</source>
        <translation>已选语料</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文档划分</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>文本编码</translation>
    </message>
    <message>
        <source>Recent (double-click to open)</source>
        <translation>最近使用（双击打开）</translation>
    </message>
    <message>
        <source>What the model will see</source>
        <translation>模型将看到的内容</translation>
    </message>
    <message>
        <source>Open corpus files</source>
        <translation>打开语料文件</translation>
    </message>
    <message>
        <source>All files (*);;Text and tables (*.txt *.md *.text *.csv *.tsv *.jsonl *.json)</source>
        <translation>所有文件 (*);;文本和表格 (*.txt *.md *.text *.csv *.tsv *.jsonl *.json)</translation>
    </message>
    <message>
        <source>Open a corpus folder</source>
        <translation>打开语料文件夹</translation>
    </message>
    <message>
        <source>{0} (chosen)</source>
        <translation>{0}（已选择）</translation>
    </message>
    <message>
        <source>{0} (a weak guess, {1:.0%})</source>
        <translation>{0}（猜测，把握不大，{1:.0%}）</translation>
    </message>
    <message>
        <source>{0} (guessed, {1:.0%})</source>
        <translation>{0}（猜测，{1:.0%}）</translation>
    </message>
    <message>
        <source>check that accented letters look right in the preview; if not, choose the encoding (corpus.encoding: latin-1, cp1250, cp1257 …).</source>
        <translation>请在预览中检查带重音符号的字母是否显示正确；如果不正确，请选择文本编码（corpus.encoding：latin-1、cp1250、cp1257 …）。</translation>
    </message>
    <message>
        <source>«{0}» ({1} lines)</source>
        <translation>«{0}»（{1} 行）</translation>
    </message>
    <message>
        <source>«{0}» (1 line)</source>
        <translation>«{0}»（1 行）</translation>
    </message>
    <message>
        <source>A document here is, for example: {0}. NSP pairs come from within one document. If a document should be longer or shorter (a whole entry, an article, one line), choose another split above.</source>
        <translation>这里的一个文档例如：{0}。NSP 句对取自同一个文档内部。如果文档应当更长或更短（一个完整条目、一篇文章、一行），请在上方选择另一种切分方式。</translation>
    </message>
    <message>
        <source>No statistics: see the problem above.</source>
        <translation>无法统计：请查看上方的问题说明。</translation>
    </message>
</context>
<context>
    <name>DesktopBridge</name>
    <message>
        <source>Training finished</source>
        <translation>训练完成</translation>
    </message>
    <message>
        <source>Training stopped</source>
        <translation>训练已停止</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <source>bertgui needs an answer</source>
        <translation>bertgui 需要你回答</translation>
    </message>
</context>
<context>
    <name>EvalTable</name>
    <message>
        <source>Perplexity on held-out text (lower is better)</source>
        <translation>留出文本上的困惑度（越低越好）</translation>
    </message>
    <message>
        <source>Masked-word accuracy on held-out text</source>
        <translation>留出文本上的掩码词预测准确率</translation>
    </message>
    <message>
        <source>Next-sentence accuracy on held-out text</source>
        <translation>留出文本上的下一句预测准确率</translation>
    </message>
    <message>
        <source>Perplexity on general text (forgetting: lower is better)</source>
        <translation>通用文本上的困惑度（衡量遗忘，越低越好）</translation>
    </message>
    <message>
        <source>Masked-word accuracy on general text (forgetting)</source>
        <translation>通用文本上的掩码词预测准确率（衡量遗忘）</translation>
    </message>
    <message>
        <source>Embedding check on held-out text (MRR)</source>
        <translation>留出文本上的嵌入检查（MRR）</translation>
    </message>
    <message>
        <source>Embedding check: found among the ten closest</source>
        <translation>嵌入检查：在最近的十个之中找到</translation>
    </message>
    <message>
        <source>Embedding check on general text (MRR, forgetting)</source>
        <translation>通用文本上的嵌入检查（MRR，遗忘）</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Before training</source>
        <translation>训练前</translation>
    </message>
    <message>
        <source>After training</source>
        <translation>训练后</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>What a model that learnt nothing would score on the same held-out text.</source>
        <translation>一个什么都没学到的模型在同一份留出文本上的得分。</translation>
    </message>
    <message>
        <source>Baseline: {0}.</source>
        <translation>基线：{0}。</translation>
    </message>
    <message>
        <source>{0:+.1f} pt</source>
        <comment>percentage points</comment>
        <translation>{0:+.1f} 个百分点</translation>
    </message>
    <message>
        <source>Better than before, but still no better than the baseline.</source>
        <translation>比训练前好，但仍不比基线好。</translation>
    </message>
</context>
<context>
    <name>EvaluatePage</name>
    <message>
        <source>Evaluate and try</source>
        <translation>评估与试用</translation>
    </message>
    <message>
        <source>How much better the model predicts your kind of text, measured on documents it never trained on; then try it: type a sentence with [MASK], or click a word to mask it.</source>
        <translation>在模型从未训练过的文档上衡量它对这类文本的预测提升了多少；然后亲手试一试：输入一个含 [MASK] 的句子，或点击某个词把它遮住。</translation>
    </message>
    <message>
        <source>Train a model (step 4) to see the figures before and after.</source>
        <translation>先训练模型（第 4 步），即可看到训练前后的对比数据。</translation>
    </message>
    <message>
        <source>Before and after training</source>
        <translation>训练前后对比</translation>
    </message>
    <message>
        <source>A sentence with [MASK], e.g. The [MASK] statement ends a loop.</source>
        <translation>输入含 [MASK] 的句子，例如：高血压患者应长期服用降[MASK]药。</translation>
    </message>
    <message>
        <source>Predict</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Click a word to replace it with [MASK].</source>
        <translation>点击一个词，将其替换为 [MASK]。</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>Trained model</source>
        <translation>训练后的模型</translation>
    </message>
    <message>
        <source>top</source>
        <translation>候选数</translation>
    </message>
    <message>
        <source>Fill in the blank</source>
        <translation>完形填空</translation>
    </message>
    <message>
        <source>Does B follow A?</source>
        <translation>B 是 A 的下一句吗？</translation>
    </message>
    <message>
        <source>Next sentence test</source>
        <translation>下一句预测测试</translation>
    </message>
    <message>
        <source>This run trained masked-language modelling only: its next-sentence head was never trained, so there is no next-sentence test for it.</source>
        <translation>这次运行只训练了掩码语言模型（MLM）：它的下一句预测头从未训练过，因此没有针对它的下一句测试。</translation>
    </message>
    <message>
        <source>Sentence A</source>
        <translation>句子 A</translation>
    </message>
    <message>
        <source>Sentence B</source>
        <translation>句子 B</translation>
    </message>
    <message>
        <source>Held-out documents: never seen in training. Masks are the same before and after, so the figures compare.</source>
        <translation>留出文档在训练中从未出现。训练前后使用相同的掩码，因此数据可以直接比较。</translation>
    </message>
    <message>
        <source>No evaluation in this run (corpus.eval_share is 0).</source>
        <translation>本次运行未做评估（corpus.eval_share 为 0）。</translation>
    </message>
    <message>
        <source>Nothing to show: this run measured no held-out text of yours (the held-out share is 0, or the run stopped before its last measurement).</source>
        <translation>没有可显示的内容：本次运行没有测量你的留出文本（留出比例为 0，或运行在最后一次测量前已停止）。</translation>
    </message>
    <message>
        <source>No hidden word of your held-out text is guessed clearly better yet (a word counts when the tuned model now guesses it, or gives it at least twice the probability it had). Short runs rarely show any: train longer.</source>
        <translation>留出文本中还没有哪个被遮住的词明显猜得更好（当调优后的模型现在能猜中它，或给它的概率至少翻倍时才算）。短时间的运行很少能看到：请训练更久。</translation>
    </message>
    <message>
        <source>Base model — head untrained</source>
        <translation>基础模型——输出层未训练</translation>
    </message>
    <message>
        <source>Its MLM head starts at random: its guesses mean nothing.</source>
        <translation>它的 MLM 输出层是随机初始化的：它的猜测没有意义。</translation>
    </message>
    <message>
        <source>Head untrained — its guesses mean nothing. The base model&apos;s fill-in-the-blank layer was not in its checkpoint and starts at random; compare with the trained model only.</source>
        <translation>输出层未训练——它的猜测没有意义。基础模型的填空层不在它的检查点中，因此是随机初始化的；请只与训练后的模型对比。</translation>
    </message>
    <message>
        <source>Not kept with the run (its folder cannot be written: {0}).</source>
        <translation>未随运行保存（无法写入其文件夹：{0}）。</translation>
    </message>
    <message>
        <source>Kept with the run: its model card shows this result when you export it.</source>
        <translation>已随运行保存：导出时模型卡片会显示这个结果。</translation>
    </message>
    <message>
        <source>The sentence has no [MASK].</source>
        <translation>句子中没有 [MASK]。</translation>
    </message>
    <message>
        <source>Type [MASK] where a word should be guessed, or click a word.</source>
        <translation>在需要模型猜测的位置输入 [MASK]，或点击一个词。</translation>
    </message>
    <message>
        <source>No model to ask.</source>
        <translation>没有可用的模型。</translation>
    </message>
    <message>
        <source>Choose a model in step 2.</source>
        <translation>请在第 2 步选择模型。</translation>
    </message>
    <message>
        <source>Type two sentences, and choose a model first.</source>
        <translation>请先选择模型，再输入两个句子。</translation>
    </message>
    <message>
        <source>base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>trained model</source>
        <translation>训练后的模型</translation>
    </message>
    <message>
        <source>{0}: B follows A with probability {1:.1%}</source>
        <translation>{0}：B 是 A 下一句的概率为 {1:.1%}</translation>
    </message>
    <message>
        <source>{0}: no next-sentence head</source>
        <translation>{0}：没有下一句预测头</translation>
    </message>
    <message>
        <source>; </source>
        <comment>between the two models&apos; results</comment>
        <translation>；</translation>
    </message>
</context>
<context>
    <name>Explain</name>
    <message>
        <source>How surprised the model is by held-out text of yours; lower is better.</source>
        <translation>模型对你的留出文本有多“意外”；越低越好。</translation>
    </message>
    <message>
        <source>How often its first guess for a hidden word of your held-out text is right; higher is better.</source>
        <translation>在你的留出文本中，模型对被遮住的词的第一猜测有多大比例是对的；越高越好。</translation>
    </message>
    <message>
        <source>How often it tells the real next sentence from a random one; only what it scores above the baseline is learnt.</source>
        <translation>模型能多准确地区分真正的下一句和随机挑来的句子；只有超出基线的部分才是学到的。</translation>
    </message>
    <message>
        <source>The same on general text: a large rise means the model forgets general language.</source>
        <translation>同一指标在通用文本上的结果：大幅上升说明模型在遗忘通用语言知识。</translation>
    </message>
    <message>
        <source>Hidden-word guesses on general text: a fall means forgetting.</source>
        <translation>在通用文本上猜被遮住的词：下降说明出现了遗忘。</translation>
    </message>
    <message>
        <source>How often the model finds the passage that belongs with a sentence of yours, by its embeddings: higher is better.</source>
        <translation>模型凭嵌入找到与您的句子相配的段落的频率：越高越好。</translation>
    </message>
    <message>
        <source>How often that passage is among its ten closest of all the held-out passages.</source>
        <translation>该段落出现在所有留出段落中最近十个之内的频率。</translation>
    </message>
    <message>
        <source>The same search on general text: a fall means the embeddings forget.</source>
        <translation>在通用文本上的同样检索：下降表示嵌入在遗忘。</translation>
    </message>
    <message>
        <source>always giving the more common answer on these pairs</source>
        <translation>在这些句对上总是给出更常见的答案</translation>
    </message>
    <message>
        <source>always guessing the most frequent word</source>
        <translation>总是猜最常见的词</translation>
    </message>
    <message>
        <source>ranking the passages at random</source>
        <translation>随机排列段落</translation>
    </message>
    <message>
        <source>What the model learned</source>
        <translation>模型学到了什么</translation>
    </message>
    <message>
        <source>Held-out sentences of yours where the hidden word is now guessed better:</source>
        <translation>你的留出句子中，被遮住的词现在猜得更好的例子：</translation>
    </message>
    <message>
        <source>“{0}”: {1:.0%} likely before → {2:.0%} after (first guess: “{3}” → “{4}”)</source>
        <translation>“{0}”：训练前概率 {1:.0%} → 训练后 {2:.0%}（首选猜测：“{3}” → “{4}”）</translation>
    </message>
</context>
<context>
    <name>ExportPage</name>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Write the trained model as a standard Hugging Face folder: it loads with pipeline(&quot;fill-mask&quot;, model=folder) and fine-tunes like any BERT.</source>
        <translation>把训练好的模型保存为标准的 Hugging Face 模型文件夹：可以用 pipeline(&quot;fill-mask&quot;, model=folder) 加载，也能像普通 BERT 一样微调。</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>none yet (the card leaves it empty)</source>
        <translation>暂不选择（模型卡中留空）</translation>
    </message>
    <message>
        <source>Written into the model card. Leave it empty if you have not decided; the Hub asks for one before others may use the model.</source>
        <translation>会写入模型卡。如果还没决定，可以留空；但在其他人使用该模型之前，Hub 会要求你选择一个许可证。</translation>
    </message>
    <message>
        <source>License</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>What will be written</source>
        <translation>将写入的内容</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Publish to the Hugging Face Hub</source>
        <translation>发布到 Hugging Face Hub</translation>
    </message>
    <message>
        <source>your-name/model-name</source>
        <translation>用户名/模型名</translation>
    </message>
    <message>
        <source>Private repository</source>
        <translation>私有仓库</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Uploads the exported folder (card, safetensors weights, tokenizer, loss curve, run configuration; never pickle files or checkpoints). Needs a token from `hf auth login`.</source>
        <translation>上传导出的文件夹（模型卡、safetensors 权重、分词器、损失曲线、运行配置；绝不上传 pickle 文件或检查点）。需要先用 `hf auth login` 登录获得访问令牌。</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>仓库</translation>
    </message>
    <message>
        <source>Published: &lt;a href=&apos;{0}&apos;&gt;{0}&lt;/a&gt;</source>
        <translation>已发布：&lt;a href=&apos;{0}&apos;&gt;{0}&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <source>Nothing yet: train a model first (step 4).</source>
        <translation>暂无可导出的内容：请先训练模型（第 4 步）。</translation>
    </message>
    <message>
        <source>the model of step {0} ({1}), with that step&apos;s figures</source>
        <translation>第 {0} 步的模型（{1}），附该步的指标</translation>
    </message>
    <message>
        <source>Exported to {0}.</source>
        <translation>已导出到 {0}。</translation>
    </message>
    <message>
        <source>Folder not empty</source>
        <translation>文件夹不为空</translation>
    </message>
    <message>
        <source>{0} already holds files. Replace its contents with the exported model?</source>
        <translation>{0} 中已有文件。要用导出的模型替换其中的内容吗？</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>The interface will be in {0} the next time bertgui starts.</source>
        <translation>下次启动 bertgui 时，界面将切换为{0}。</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>立即重启</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System language ({0})</source>
        <translation>跟随系统（{0}）</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Restarting closes this window: settings you changed here and did not save are not kept.</source>
        <translation>重启会关闭此窗口：你在这里更改但尚未保存的设置不会保留。</translation>
    </message>
    <message>
        <source>Training is running; restart when it ends.</source>
        <translation>正在训练；请在训练结束后再重启。</translation>
    </message>
</context>
<context>
    <name>LossChart</name>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>total loss</source>
        <translation>总损失</translation>
    </message>
    <message>
        <source>MLM loss</source>
        <translation>MLM 损失</translation>
    </message>
    <message>
        <source>NSP loss</source>
        <translation>NSP 损失</translation>
    </message>
    <message>
        <source>The loss curves appear here when training starts.</source>
        <translation>开始训练后，损失曲线会显示在这里。</translation>
    </message>
    <message>
        <source>learning rate (right axis)</source>
        <translation>学习率（右轴）</translation>
    </message>
    <message>
        <source>held-out loss</source>
        <translation>留出文本损失</translation>
    </message>
    <message>
        <source>How strongly the bold curves are smoothed (moving average).</source>
        <translation>粗曲线的平滑程度（滑动平均）。</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>Save as PNG…</source>
        <translation>保存为 PNG…</translation>
    </message>
    <message>
        <source>Move the mouse over the chart to read the values.</source>
        <translation>将鼠标移到图表上即可查看数值。</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>step {0}</source>
        <translation>第 {0} 步</translation>
    </message>
    <message>
        <source>total {0:.4f}</source>
        <translation>总计 {0:.4f}</translation>
    </message>
    <message>
        <source>MLM {0:.4f}</source>
        <translation>MLM {0:.4f}</translation>
    </message>
    <message>
        <source>NSP {0:.4f}</source>
        <translation>NSP {0:.4f}</translation>
    </message>
    <message>
        <source>learning rate {0:.3g}</source>
        <translation>学习率 {0:.3g}</translation>
    </message>
    <message>
        <source>Save chart</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Continue pre-training BERT on your text</source>
        <translation>用你的文本继续预训练 BERT</translation>
    </message>
    <message>
        <source>Corpus</source>
        <translation>语料</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Evaluate and try</source>
        <translation>评估与试用</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Go to step {0}</source>
        <translation>转到第 {0} 步</translation>
    </message>
    <message>
        <source>Open corpus…</source>
        <translation>打开语料…</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <source>Pause or resume training</source>
        <translation>暂停或继续训练</translation>
    </message>
    <message>
        <source>Stop training</source>
        <translation>停止训练</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>State of the training run</source>
        <translation>训练运行状态</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>正在训练</translation>
    </message>
    <message>
        <source>Training is still running. Stop it and keep a checkpoint, or keep training?</source>
        <translation>训练仍在进行。要停止训练并保留检查点，还是继续训练？</translation>
    </message>
    <message>
        <source>Stop and keep a checkpoint</source>
        <translation>停止并保留检查点</translation>
    </message>
    <message>
        <source>Keep training</source>
        <translation>继续训练</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>The computer ran out of memory.</source>
        <translation>计算机内存不足。</translation>
    </message>
    <message>
        <source>Close other programs, or choose a smaller model or batch size.</source>
        <translation>请关闭其他程序，或改用更小的模型或批大小。</translation>
    </message>
    <message>
        <source>This is unexpected. The details are printed in the terminal that started bertgui; please report it if it persists.</source>
        <translation>出现了意外错误。详细信息已输出到启动 bertgui 的终端；如果问题反复出现，请报告给我们。</translation>
    </message>
    <message>
        <source>bertgui</source>
        <translation>bertgui</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <source>Reading the model&apos;s configuration…</source>
        <translation>正在读取模型配置…</translation>
    </message>
    <message>
        <source>Loading the weights to check which heads are present…</source>
        <translation>正在加载权重，检查模型包含哪些预测头…</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Choose the model to continue training: one already downloaded, a folder, or a Hugging Face hub id. Without internet, create a small new model from your corpus to try the whole flow.</source>
        <translation>选择要继续训练的模型：已下载的模型、本地文件夹，或 Hugging Face Hub 上的模型 ID。没有网络时，可以用你的语料新建一个小模型，把整个流程走一遍。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Use selected</source>
        <translation>使用所选模型</translation>
    </message>
    <message>
        <source>Models in the local Hugging Face cache</source>
        <translation>本地 Hugging Face 缓存中的模型</translation>
    </message>
    <message>
        <source>hub id (google-bert/bert-base-uncased) or folder path</source>
        <translation>Hub 模型 ID（如 google-bert/bert-base-chinese）或文件夹路径</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>使用</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>A folder or a hub id</source>
        <translation>文件夹或 Hub 模型 ID</translation>
    </message>
    <message>
        <source>Recent (double-click to use):</source>
        <translation>最近使用（双击即可使用）：</translation>
    </message>
    <message>
        <source>New small model from this corpus</source>
        <translation>用当前语料新建小模型</translation>
    </message>
    <message>
        <source>A randomly initialised BERT whose vocabulary is learnt from your corpus: no download, trains in minutes on a CPU, for trying the flow.</source>
        <translation>随机初始化的 BERT，词表从你的语料中学习得到：无需下载，在 CPU 上几分钟就能训练完，适合试用流程。</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>隐藏层维度</translation>
    </message>
    <message>
        <source>Vocabulary size</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Create new model</source>
        <translation>新建模型</translation>
    </message>
    <message>
        <source>No model chosen yet.</source>
        <translation>尚未选择模型。</translation>
    </message>
    <message>
        <source>What was found</source>
        <translation>模型信息</translation>
    </message>
    <message>
        <source>Choose a corpus and a model first.</source>
        <translation>请先选择语料和模型。</translation>
    </message>
    <message>
        <source>Looking through the cache…</source>
        <translation>正在查找缓存…</translation>
    </message>
    <message>
        <source>{0} usable models found.</source>
        <translation>找到 {0} 个可用模型。</translation>
    </message>
    <message>
        <source>No fill-mask models in the cache. Choose a folder, type a hub id (needs internet once), or create a small new model below.</source>
        <translation>缓存中没有可做完形填空（fill-mask）的模型。请选择文件夹、输入 Hub 模型 ID（首次需要联网），或在下方新建一个小模型。</translation>
    </message>
    <message>
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <source>Reading {0}…</source>
        <translation>正在读取 {0}…</translation>
    </message>
    <message>
        <source>{0:.1f} M parameters</source>
        <translation>{0:.1f}M 参数</translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation>大小未知</translation>
    </message>
    <message>
        <source>MLM + NSP (masked words and next sentence)</source>
        <translation>MLM + NSP（掩码词预测与下一句预测）</translation>
    </message>
    <message>
        <source>MLM only (masked words; this architecture has no next-sentence head)</source>
        <translation>仅 MLM（掩码词预测；该架构没有下一句预测头）</translation>
    </message>
    <message>
        <source>not in the checkpoint: {0}. bertgui fits them first on your text with the rest of the model frozen ({1}), then trains the whole model; the figures before training are taken with the fitted heads.</source>
        <translation>检查点中没有：{0}。bertgui 会先在你的文本上拟合它们，同时冻结模型的其余部分（{1}），然后训练整个模型；训练前的数字是在拟合好的头上测得的。</translation>
    </message>
    <message>
        <source>start at random (not in the checkpoint): {0}</source>
        <translation>随机初始化（检查点中没有）：{0}</translation>
    </message>
    <message>
        <source>all present in the checkpoint</source>
        <translation>检查点中均已包含</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>local folder</source>
        <translation>本地文件夹</translation>
    </message>
    <message>
        <source>Hugging Face cache</source>
        <translation>Hugging Face 缓存</translation>
    </message>
    <message>
        <source>downloaded from the hub</source>
        <translation>从 Hub 下载</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>规模</translation>
    </message>
    <message>
        <source>about {0:.0f} s of a {1:.0f}-minute run</source>
        <translation>在 {1:.0f} 分钟的运行中约占 {0:.0f} 秒</translation>
    </message>
    <message>
        <source>up to 2 minutes; sooner when the heads stop improving</source>
        <translation>最多 2 分钟；头不再改进时会提前结束</translation>
    </message>
    <message>
        <source>Pickle files can run code on this computer when loaded. bertgui reads them with torch&apos;s safe loader, which refuses anything but tensors, yet that loader has had flaws. Load them only if you trust where the model came from. Load this model?</source>
        <translation>pickle 文件在加载时可能在这台电脑上执行代码。bertgui 使用 torch 的安全加载器读取它们，该加载器只接受张量、拒绝其他任何内容，但它也曾出现过漏洞。只有在你信任模型来源时才加载。要加载这个模型吗？</translation>
    </message>
    <message>
        <source>{0} has only pickle weights: waiting for your answer.</source>
        <translation>{0} 只有 pickle 权重：正在等待你的确认。</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <source>Longest input</source>
        <translation>最大输入长度</translation>
    </message>
    <message>
        <source>{0} tokens</source>
        <translation>{0} 个词元</translation>
    </message>
    <message>
        <source>Can train</source>
        <translation>可训练任务</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>预测头</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>Pickle weights</source>
        <translation>pickle 权重</translation>
    </message>
    <message>
        <source>Choose a corpus first.</source>
        <translation>请先选择语料。</translation>
    </message>
    <message>
        <source>The new model&apos;s vocabulary is learnt from your corpus (step 1).</source>
        <translation>新模型的词表将从你的语料（第 1 步）中学习得到。</translation>
    </message>
</context>
<context>
    <name>PairCard</name>
    <message>
        <source>Segment (MLM only, no sentence pair)</source>
        <translation>单段文本（仅 MLM，不构成句对）</translation>
    </message>
    <message>
        <source>B follows A</source>
        <translation>B 是 A 的下一句</translation>
    </message>
    <message>
        <source>B is random</source>
        <translation>B 是随机句子</translation>
    </message>
    <message>
        <source>cut to fit the length</source>
        <translation>已截断以适应长度</translation>
    </message>
</context>
<context>
    <name>PairCards</name>
    <message>
        <source>{0}, document {1}</source>
        <translation>{0}，第 {1} 篇文档</translation>
    </message>
    <message>
        <source>sentence {0}</source>
        <translation>第 {0} 句</translation>
    </message>
    <message>
        <source>sentences {0}–{1}</source>
        <translation>第 {0}–{1} 句</translation>
    </message>
    <message>
        <source>{0}, document {1}, {2}</source>
        <translation>{0}，第 {1} 篇文档，{2}</translation>
    </message>
</context>
<context>
    <name>PredictionTable</name>
    <message>
        <source>Mask</source>
        <translation>掩码位置</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
</context>
<context>
    <name>Presets</name>
    <message>
        <source>200 short steps: see whether the loss falls and the masking looks right (minutes on a CPU).</source>
        <translation>用短序列训练 200 步：看看损失是否下降、掩码是否合理（在 CPU 上几分钟即可）。</translation>
    </message>
    <message>
        <source>3 passes at 128 tokens: a sound domain adaptation for a corpus of a few MB.</source>
        <translation>以 128 个词元的序列长度训练 3 轮：对几 MB 的语料而言，是稳妥的领域适配方案。</translation>
    </message>
    <message>
        <source>10 passes at 512 tokens with an effective batch of 64: for long documents and a GPU.</source>
        <translation>以 512 个词元的序列长度训练 10 轮，等效批大小为 64：适合长文档，需要 GPU。</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>What training will see: sentence pairs for next-sentence prediction, and which tokens are hidden for the model to guess. Change the masking here and the preview follows at once.</source>
        <translation>训练时模型看到的内容：用于下一句预测的句对，以及哪些词元被遮住、需要模型来猜。在这里调整掩码设置，预览会立即更新。</translation>
    </message>
    <message>
        <source>Whole words</source>
        <translation>全词掩码</translation>
    </message>
    <message>
        <source>New sample</source>
        <translation>换一批样本</translation>
    </message>
    <message>
        <source>Mask share</source>
        <translation>掩码比例</translation>
    </message>
    <message>
        <source>of them: [MASK]</source>
        <translation>其中 [MASK]</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机替换</translation>
    </message>
    <message>
        <source>Max length</source>
        <translation>最大长度</translation>
    </message>
    <message>
        <source>Sentence pairs (next sentence prediction)</source>
        <translation>句对（下一句预测）</translation>
    </message>
    <message>
        <source>Masking: what the model must guess (hover a token for details)</source>
        <translation>掩码：模型需要猜测的内容（鼠标悬停在词元上可查看详情）</translation>
    </message>
    <message>
        <source>kept: {0} %</source>
        <translation>保持不变：{0} %</translation>
    </message>
    <message>
        <source>A random replacement puts any entry of the vocabulary in a hidden word&apos;s place ({0} % of them), so the model cannot trust what it sees; entries like [unused365] are empty vocabulary slots drawn that way.</source>
        <translation>随机替换会把词表中的任意一项放到被遮住的词的位置上（占其中的 {0} %），让模型不能完全相信它看到的内容；像 [unused365] 这样的项是以这种方式抽到的空词表位置。</translation>
    </message>
    <message>
        <source>Choose a corpus (step 1) and a model (step 2) to see the preview.</source>
        <translation>选择语料（第 1 步）和模型（第 2 步）后即可预览。</translation>
    </message>
    <message>
        <source>Reading the first documents…</source>
        <translation>正在读取开头的文档…</translation>
    </message>
    <message>
        <source>From the first {0} documents of the corpus; sample {1}.</source>
        <translation>取自语料的前 {0} 篇文档；第 {1} 批样本。</translation>
    </message>
</context>
<context>
    <name>ProbeBox</name>
    <message>
        <source>Check on your own labelled examples (optional)</source>
        <translation>用您自己的标注样例检验（可选）</translation>
    </message>
    <message>
        <source>A CSV, TSV or JSON-lines file with a text and a label column, or a folder with one sub-folder per label (20 to 2 000 examples). Each model embeds every text; a simple classifier learns your labels from those embeddings, cross-validated, and the two models are compared.</source>
        <translation>含文本列和标签列的 CSV、TSV 或 JSON-lines 文件，或每个标签一个子文件夹的文件夹（20 到 2 000 个样例）。每个模型为每条文本计算嵌入；一个简单的分类器用交叉验证从这些嵌入学习您的标签，并比较两个模型。</translation>
    </message>
    <message>
        <source>for example labelled.csv</source>
        <translation>例如 labelled.csv</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检验</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Labelled examples</source>
        <translation>标注样例</translation>
    </message>
    <message>
        <source>Labelled examples (*.csv *.tsv *.jsonl *.json);;All files (*)</source>
        <translation>标注样例 (*.csv *.tsv *.jsonl *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose a labelled file first.</source>
        <translation>请先选择一个标注文件。</translation>
    </message>
    <message>
        <source>No model to check.</source>
        <translation>没有可检验的模型。</translation>
    </message>
    <message>
        <source>Choose a model in step 2.</source>
        <translation>请在第 2 步选择一个模型。</translation>
    </message>
    <message>
        <source>base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>trained model</source>
        <translation>训练后的模型</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
</context>
<context>
    <name>ProcessRun</name>
    <message>
        <source>The training process ended with exit code {0} without reporting a result.</source>
        <translation>训练进程以退出码 {0} 结束，未报告结果。</translation>
    </message>
    <message>
        <source>Read the log panel for the process&apos;s own messages.</source>
        <translation>请在日志面板中查看该进程自身的输出。</translation>
    </message>
    <message>
        <source>Could not start {0}.</source>
        <translation>无法启动 {0}。</translation>
    </message>
    <message>
        <source>Check that torchrun (PyTorch) is installed in this Python.</source>
        <translation>请检查当前 Python 环境中是否安装了 torchrun（随 PyTorch 提供）。</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>RunConfig</name>
    <message>
        <source>Text files (.txt, .md, .csv, .tsv, .jsonl) or folders of them. The text you want the model to learn.</source>
        <translation>文本文件（.txt、.md、.csv、.tsv、.jsonl）或包含这些文件的文件夹，即你希望模型学习的文本。</translation>
    </message>
    <message>
        <source>For .csv, .tsv and .jsonl files: the column that holds the text (one row = one document).</source>
        <translation>用于 .csv、.tsv 和 .jsonl 文件：存放文本的列（每行为一篇文档）。</translation>
    </message>
    <message>
        <source>How text files split into documents. &apos;blank-line&apos;: a blank line ends a document; &apos;line&apos;: every line is a document; &apos;file&apos;: a file is one document; &apos;auto&apos;: blank lines if the file has any, else one per line. NSP pairs sentences within a document, so this matters.</source>
        <translation>文本文件如何划分为文档。&apos;blank-line&apos;：空行表示文档结束；&apos;line&apos;：每行一篇文档；&apos;file&apos;：每个文件一篇文档；&apos;auto&apos;：文件中有空行就按空行划分，否则每行一篇。下一句预测只在同一篇文档内组成句对，所以这一项很重要。</translation>
    </message>
    <message>
        <source>Character encoding of the corpus files. &apos;auto&apos;: UTF-8 when the file is valid UTF-8, else a guess (Windows-1252/latin-1 for Western European text unless another code page reads clearly better; GB18030 for Chinese …) that the Corpus page and &apos;bertgui preview&apos; show, with a warning when it is weak. Or any encoding name Python knows: latin-1, cp1252, cp1250, cp1257, gb18030, shift_jis, utf-16 ….</source>
        <translation>语料文件的字符编码。&apos;auto&apos;：文件是有效的 UTF-8 时按 UTF-8 读取，否则进行猜测（西欧文本猜为 Windows-1252/latin-1，除非另一种代码页明显读得更好；中文猜为 GB18030 等），猜测结果会在“语料”页面和 &apos;bertgui preview&apos; 中显示，猜测不可靠时会给出警告。也可以填写 Python 认识的任何编码名称：latin-1、cp1252、cp1250、cp1257、gb18030、shift_jis、utf-16 等。</translation>
    </message>
    <message>
        <source>Share of documents held out (whole documents, never single sentences) to measure perplexity and accuracy before and after training. 0 turns evaluation off.</source>
        <translation>留出不参与训练的文档比例（按整篇文档留出，不会拆开句子），用于在训练前后衡量困惑度和准确率。设为 0 则不做评估。</translation>
    </message>
    <message>
        <source>Optional general-domain text (e.g. news or Wikipedia). Evaluated before and after to show how much general knowledge the model forgets, and mixed into training (see replay_share).</source>
        <translation>可选的通用领域文本（例如新闻或维基百科）。训练前后各评估一次，以显示模型遗忘了多少通用知识，并按比例混入训练（见 replay_share）。</translation>
    </message>
    <message>
        <source>When no general-text file is given and your text is English, use a general English sample built from the documentation of Python&apos;s standard library on this computer (about 200 KB) to measure and limit forgetting. A general file of your own (news, Wikipedia) guards better.</source>
        <translation>未指定通用文本文件且您的文本是英文时，使用由本机 Python 标准库文档构建的通用英文样本（约 200 KB）来衡量并限制遗忘。使用您自己的通用文件（新闻、维基百科）效果更好。</translation>
    </message>
    <message>
        <source>Share of the training text drawn from the general text (replay), so the model keeps what it knew while it learns your text. Used when a general-text file or the general sample is in use; 0 turns replay off.</source>
        <translation>训练文本中取自通用文本的比例（回放），让模型在学习您的文本时保留原有知识。在使用通用文本文件或通用样本时生效；0 表示关闭回放。</translation>
    </message>
    <message>
        <source>The model to start from: a local folder, or a Hugging Face hub id (downloaded once when online).</source>
        <translation>作为起点的模型：本地文件夹，或 Hugging Face Hub 上的模型 ID（联网时下载一次）。</translation>
    </message>
    <message>
        <source>Allow loading weights from pickle files (.bin/.pt). Pickle can run code when loaded: only for models you trust. Off: only .safetensors weights are read.</source>
        <translation>允许从 pickle 文件（.bin/.pt）加载权重。pickle 在加载时可能执行代码：只对你信任的模型开启。关闭时只读取 .safetensors 权重。</translation>
    </message>
    <message>
        <source>Folder for checkpoints, logs and the exported model.</source>
        <translation>存放检查点、日志和导出模型的文件夹。</translation>
    </message>
    <message>
        <source>Train next sentence prediction beside masked language modelling (BERT models only). Off: MLM only, for any masked-language model or a corpus without multi-sentence documents.</source>
        <translation>在掩码语言模型之外同时训练下一句预测（仅限 BERT 模型）。关闭时只训练 MLM，适用于任何掩码语言模型，或文档都只有一句话的语料。</translation>
    </message>
    <message>
        <source>Keep about half of the sentence pairs &apos;B follows A&apos;: a one-sentence chunk takes the next sentences of its document as B instead of always a random one. Off: Google&apos;s original recipe, which gives 70 % or more random pairs on corpora of short documents, so the model can score well by always guessing &apos;random&apos;.</source>
        <translation>让大约一半的句对是“B 紧接在 A 之后”：只有一个句子的片段会取同一文档中的后续句子作为 B，而不是总取随机句子。关闭时采用 Google 的原始做法：在由短文档组成的语料上，随机句对会占 70% 或更多，模型只要总是猜“随机”就能得到高分。</translation>
    </message>
    <message>
        <source>Share of tokens the model must predict in each sequence (BERT used 0.15).</source>
        <translation>每个序列中需要模型预测的词元比例（BERT 原文使用 0.15）。</translation>
    </message>
    <message>
        <source>Of the selected tokens: the share replaced by [MASK] (BERT: 0.8).</source>
        <translation>被选中的词元中替换为 [MASK] 的比例（BERT：0.8）。</translation>
    </message>
    <message>
        <source>Of the selected tokens: the share replaced by a random token (BERT: 0.1). The rest stay unchanged.</source>
        <translation>被选中的词元中替换为随机词元的比例（BERT：0.1）。其余保持不变。</translation>
    </message>
    <message>
        <source>Select whole words: all pieces of &apos;st ##oic ##ism&apos; are masked together, so the model cannot guess a piece from its neighbours. Chinese uses a word segmenter when one is installed.</source>
        <translation>按整词选择：&apos;st ##oic ##ism&apos; 的各个子词会被一起遮住，模型无法凭相邻的子词猜出答案。中文文本在安装了分词器时按分词结果成词。</translation>
    </message>
    <message>
        <source>Longest sequence in tokens, [CLS] and [SEP] included. 128 is about 4× cheaper than 512 per token and enough for most domain adaptation; use 512 for long-range documents.</source>
        <translation>序列的最大词元数（含 [CLS] 和 [SEP]）。按每个词元计算，128 的开销约为 512 的四分之一，足以应对大多数领域适配；需要长距离上下文的文档请用 512。</translation>
    </message>
    <message>
        <source>Probability of a shorter random target length for a training sequence, so the model also sees short inputs (Google&apos;s recipe: 0.1).</source>
        <translation>训练序列随机取较短目标长度的概率，让模型也能见到短输入（Google 原始做法：0.1）。</translation>
    </message>
    <message>
        <source>MLM only (NSP off): let a training sequence run on from one document into the next, as Hugging Face&apos;s run_mlm joins all text into full blocks, so sequences fill max_seq_length even on a corpus of short paragraphs (less padding, more context). Off: each sequence stays within one document. NSP pairs never cross documents.</source>
        <translation>仅 MLM（关闭 NSP）时：允许一个训练序列从一篇文档延续到下一篇，就像 Hugging Face 的 run_mlm 把所有文本拼接成完整的块，这样即使语料由短段落组成，序列也能填满 max_seq_length（填充更少、上下文更多）。关闭：每个序列只在一篇文档之内。NSP 句对从不跨文档。</translation>
    </message>
    <message>
        <source>For Chinese text: find word boundaries with the jieba segmenter (when installed) so whole-word masking masks all characters of a word together, as Chinese-BERT-wwm did. Off, or without jieba: each character is its own word.</source>
        <translation>用于中文文本：用 jieba 分词器（需已安装）确定词边界，使全词掩码把一个词的所有字一起遮住，与 Chinese-BERT-wwm 的做法相同。关闭或未安装 jieba 时，每个字单独算作一个词。</translation>
    </message>
    <message>
        <source>Sequences per step on each device.</source>
        <translation>每个设备每一步处理的序列数。</translation>
    </message>
    <message>
        <source>Real tokens (padding not counted) per optimizer step, over all devices and accumulated batches: each batch takes as many sequences as fit, so a corpus of short documents does not make steps expensive per token, and a step is the same amount of text on every machine. Replaces batch_size when set; at least max_seq_length × gradient_accumulation. 0: off (batch_size sequences per step).</source>
        <translation>每个优化器步骤的真实词元数（不计填充），涵盖所有设备和累积的批次：每个批次装入尽可能多的序列，因此由短文档组成的语料不会让每个词元的训练代价变高，而且一步在任何机器上都对应同样多的文本。设置后取代 batch_size；至少为 max_seq_length × gradient_accumulation。0：关闭（每步 batch_size 个序列）。</translation>
    </message>
    <message>
        <source>Steps whose gradients are summed before one optimizer update: a larger effective batch without more memory.</source>
        <translation>累积多少步的梯度后再更新一次参数：不增加显存即可获得更大的等效批大小。</translation>
    </message>
    <message>
        <source>Peak learning rate. 5e-5 adapts a pre-trained BERT without erasing what it knew; 1e-4 for a model trained from scratch.</source>
        <translation>峰值学习率。5e-5 能让预训练好的 BERT 适应新领域而不抹掉已有知识；从零训练的模型用 1e-4。</translation>
    </message>
    <message>
        <source>AdamW weight decay (BERT: 0.01).</source>
        <translation>AdamW 权重衰减（BERT：0.01）。</translation>
    </message>
    <message>
        <source>Learning-rate schedule after warmup.</source>
        <translation>预热结束后的学习率调度方式。</translation>
    </message>
    <message>
        <source>Share of the steps spent warming the learning rate up from 0.</source>
        <translation>用于把学习率从 0 逐步升高（预热）的步数比例。</translation>
    </message>
    <message>
        <source>Passes over the corpus. Each pass builds new NSP pairs and new masks. Ignored when max_steps is set.</source>
        <translation>遍历语料的轮数。每一轮都会重新构建 NSP 句对和掩码。设置了 max_steps 时忽略此项。</translation>
    </message>
    <message>
        <source>Stop after this many optimizer steps (0: use epochs).</source>
        <translation>达到该参数更新步数后停止（0：按训练轮数）。</translation>
    </message>
    <message>
        <source>How long the run may take, evaluation and saving included: seconds or &apos;10m&apos;, &apos;1h&apos;, &apos;1h30m&apos;. A few probe steps measure this machine&apos;s speed and the steps are planned to fit. &apos;0&apos;: off (use epochs or max_steps).</source>
        <translation>运行最多可用的时间（含评估和保存）：填秒数，或 &apos;10m&apos;、&apos;1h&apos;、&apos;1h30m&apos;。会先运行几个探测步来测量这台机器的速度，再据此规划步数。&apos;0&apos; 表示关闭（改用 epochs 或 max_steps）。</translation>
    </message>
    <message>
        <source>When the base model has no MLM or NSP head (a sentence-transformers model): share of the time budget for fitting the new heads first, on the frozen model, at a new layer&apos;s learning rate (without a time budget: at most 2 minutes; it ends sooner when the heads stop improving). 0 turns this off.</source>
        <translation>当基础模型没有 MLM 或 NSP 头时（例如 sentence-transformers 模型）：时间预算中先用于拟合新头的比例，拟合时模型其余部分冻结，使用适合新层的学习率（没有时间预算时最多 2 分钟；新头不再改进时会提前结束）。0 表示关闭。</translation>
    </message>
    <message>
        <source>Learning rate of the heads the base model came without, as a multiple of the learning rate, while the whole model trains: a new layer keeps learning at a new layer&apos;s pace (20 × 5e-5 = 1e-3). 1: the same rate.</source>
        <translation>训练整个模型时，基础模型原本没有的那些头的学习率（学习率的倍数）：新层以新层的节奏继续学习（20 × 5e-5 = 1e-3）。1 表示相同的学习率。</translation>
    </message>
    <message>
        <source>When the base model has no MLM head (a sentence-transformers model): the whole model trains at this multiple of the learning rate. Its encoder was tuned for another task and must learn to fill in words again (measured on 2 CPU cores, 5 minutes from all-MiniLM-L6-v2: 2 × 5e-5 reached 3.8 × the most-frequent-word baseline, 5e-5 3.4 ×). 1: the learning rate as it is.</source>
        <translation>当基础模型没有 MLM 头时（sentence-transformers 模型）：整个模型以学习率的这个倍数训练。其编码器是为另一任务调优的，需要重新学习填词（在 2 个 CPU 核心上从 all-MiniLM-L6-v2 训练 5 分钟测得：2 × 5e-5 达到最常见词基线的 3.8 倍，5e-5 为 3.4 倍）。1：按原学习率。</translation>
    </message>
    <message>
        <source>Gradient clipping norm (0 turns clipping off).</source>
        <translation>梯度裁剪的范数阈值（0 表示不裁剪）。</translation>
    </message>
    <message>
        <source>Seed for pairs, masks and initialisation: the same seed repeats a run.</source>
        <translation>用于句对、掩码和初始化的随机种子：种子相同，运行结果即可复现。</translation>
    </message>
    <message>
        <source>Where to train: &apos;auto&apos; (a CUDA GPU, then Apple MPS, then CPU), &apos;cpu&apos;, &apos;cuda&apos;, &apos;cuda:1&apos;, &apos;mps&apos;.</source>
        <translation>训练设备：&apos;auto&apos;（依次尝试 CUDA GPU、Apple MPS、CPU）、&apos;cpu&apos;、&apos;cuda&apos;、&apos;cuda:1&apos;、&apos;mps&apos;。</translation>
    </message>
    <message>
        <source>Number format. &apos;auto&apos;: bf16 autocast on GPUs that support it and on CPUs that multiply bf16 natively (AVX512-BF16 or AMX), else fp32; the weights, the optimizer and the evaluation stay fp32. bf16 is refused on other CPUs, where it is slower. fp16 (with loss scaling) only for older GPUs.</source>
        <translation>数值格式。&apos;auto&apos;：在支持 bf16 的 GPU 上以及原生支持 bf16 乘法（AVX512-BF16 或 AMX）的 CPU 上使用 bf16 自动混合精度，否则使用 fp32；权重、优化器和评估始终为 fp32。在其他 CPU 上拒绝 bf16，因为那里它更慢。fp16（带损失缩放）仅用于较旧的 GPU。</translation>
    </message>
    <message>
        <source>Save a resumable checkpoint every this many steps (and when stopped).</source>
        <translation>每隔多少步保存一次可续训的检查点（停止时也会保存）。</translation>
    </message>
    <message>
        <source>How many recent checkpoints to keep on disk.</source>
        <translation>在磁盘上保留最近多少个检查点。</translation>
    </message>
    <message>
        <source>Also evaluate every this many steps (0: only before and after training).</source>
        <translation>训练中每隔多少步额外评估一次（0：只在训练前后评估）。</translation>
    </message>
    <message>
        <source>Report loss every this many steps.</source>
        <translation>每隔多少步报告一次损失。</translation>
    </message>
    <message>
        <source>Order sequences by length within windows of this many batches (then shuffle those batches), so a batch holds sequences of similar length and little padding. Deterministic and resumable; 0 turns it off.</source>
        <translation>以这么多个批次为一个窗口，在窗口内按长度排列序列（再打乱这些批次），使同一批内的序列长度相近、填充更少。顺序确定，可以续训；设为 0 则关闭。</translation>
    </message>
    <message>
        <source>Dropout on the attention weights while training. BERT used 0.1; 0 (as in MosaicBERT) lets PyTorch use its fast fused attention kernel — on a CPU about twice the speed and far less memory. The exported model keeps the base model&apos;s own value for whoever fine-tunes it next. -1 keeps the base model&apos;s value.</source>
        <translation>训练时作用于注意力权重的 dropout。BERT 原文用 0.1；设为 0（与 MosaicBERT 相同）时，PyTorch 可以使用融合的快速注意力内核——在 CPU 上速度约快一倍，内存也省得多。导出的模型仍保留基础模型自己的取值，方便后续微调。-1 表示沿用基础模型的取值。</translation>
    </message>
    <message>
        <source>Compute the vocabulary-wide output layer only at the masked positions (about 15 % of tokens). Same loss, same checkpoint format, much less compute.</source>
        <translation>只在被掩码的位置（约 15% 的词元）计算覆盖整个词表的输出层。损失相同、检查点格式相同，计算量却小得多。</translation>
    </message>
    <message>
        <source>Largest batch slice, in padded token positions, that one forward pass may hold. A bigger batch is run as several slices whose gradients add up before the one optimizer step: the same training, far less memory. -1: automatic (1 024 on a CPU, where matmuls of that size already run at full speed; no limit on a GPU). 0: never slice.</source>
        <translation>一次前向计算最多容纳的批次切片大小（按含填充的词元位置计）。更大的批次会分成几片依次计算，各片的梯度累加后再做一次优化器更新：训练结果相同，内存却省得多。-1 表示自动（CPU 上为 1 024，这个规模的矩阵乘法在 CPU 上已能全速运行；GPU 上不限制）。0 表示从不切分。</translation>
    </message>
    <message>
        <source>Compile the model with torch.compile (slow start, faster steps on GPUs).</source>
        <translation>用 torch.compile 编译模型（启动较慢，在 GPU 上每步更快）。</translation>
    </message>
    <message>
        <source>Train without padding: each batch&apos;s sequences are laid end to end in one row and attention is kept within each sequence by flex attention&apos;s document mask, so no compute goes to padded positions. For GPUs; needs attention dropout 0 and the masked-only MLM head. Off: batches padded to their longest sequence.</source>
        <translation>不加填充地训练：每个批次的序列首尾相接排成一行，由 flex attention 的文档掩码把注意力限制在各自序列之内，填充位置不再耗费计算。适用于 GPU；需要注意力 dropout 为 0 并使用仅计算被遮蔽位置的 MLM 头。关闭：批次按其中最长的序列填充。</translation>
    </message>
    <message>
        <source>Background processes preparing batches (0: in the training process).</source>
        <translation>在后台准备批数据的进程数（0：在训练进程内准备）。</translation>
    </message>
    <message>
        <source>Domain words added to the vocabulary before training, each as one new token.</source>
        <translation>训练前添加到词表中的领域词，每个词作为一个新词元。</translation>
    </message>
    <message>
        <source>Put new words into the vocabulary&apos;s [unused…] slots when it has them, so the embedding matrix keeps its size.</source>
        <translation>词表中有 [unused…] 槽位时，把新词放进这些槽位，使嵌入矩阵的大小保持不变。</translation>
    </message>
</context>
<context>
    <name>RunFolderChooser</name>
    <message>
        <source>No run to resume yet.</source>
        <translation>还没有可以继续的运行。</translation>
    </message>
    <message>
        <source>Start a run, or pick one on the Runs page.</source>
        <translation>请开始一次运行，或在“运行记录”页中选择一个。</translation>
    </message>
    <message>
        <source>The run folder {0} no longer exists.</source>
        <translation>运行文件夹 {0} 已不存在。</translation>
    </message>
    <message>
        <source>It was moved or deleted outside bertgui. Open it from its new place on the Runs page.</source>
        <translation>它已在 bertgui 之外被移动或删除。请在“运行记录”页中从新位置打开它。</translation>
    </message>
    <message>
        <source>Run {0} is being trained by another process ({1}).</source>
        <translation>运行 {0} 正由另一个进程（{1}）训练。</translation>
    </message>
    <message>
        <source>Wait for it to end, or stop it there.</source>
        <translation>请等它结束，或在那边停止它。</translation>
    </message>
    <message>
        <source>Run {0} has no complete checkpoint to resume from.</source>
        <translation>运行 {0} 没有可以继续的完整检查点。</translation>
    </message>
    <message>
        <source>Start a new run; a checkpoint is saved every few steps and when you stop.</source>
        <translation>请开始一次新运行；每隔几步以及你停止时都会保存检查点。</translation>
    </message>
    <message>
        <source>Run {0} is finished ({1} of {2} steps).</source>
        <translation>运行 {0} 已完成（{1} / {2} 步）。</translation>
    </message>
    <message>
        <source>Its model is in its final-model folder. Start a new run to train more.</source>
        <translation>它的模型在 final-model 文件夹中。如需继续训练，请开始一次新运行。</translation>
    </message>
    <message>
        <source>Resume run {0} from step {1} of {2} ({3}).</source>
        <translation>从第 {1} / {2} 步继续运行 {0}（{3}）。</translation>
    </message>
    <message>
        <source>This folder holds a run</source>
        <translation>此文件夹中已有一次运行</translation>
    </message>
    <message>
        <source>{0} already holds a training run. What should this run do?</source>
        <translation>{0} 中已有一次训练运行。这次运行要怎么处理？</translation>
    </message>
    <message>
        <source>Resume continues that run from its last checkpoint. A new run beside it keeps both. Replace moves the old run to the trash and starts afresh.</source>
        <translation>“继续”会从上次的检查点接着那次运行。“在旁边新建运行”会同时保留两者。“替换”会把旧运行移到回收站，然后重新开始。</translation>
    </message>
    <message>
        <source>Resume it</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>New run beside it</source>
        <translation>在旁边新建运行</translation>
    </message>
    <message>
        <source>Replace it (old run to the trash)</source>
        <translation>替换（旧运行移到回收站）</translation>
    </message>
    <message>
        <source>The earlier run in {0} was moved to {1}.</source>
        <translation>{0} 中之前的运行已移到 {1}。</translation>
    </message>
</context>
<context>
    <name>RunMonitor</name>
    <message>
        <source>step %v / %m</source>
        <translation>第 %v / %m 步</translation>
    </message>
    <message>
        <source>Not started.</source>
        <translation>尚未开始。</translation>
    </message>
    <message>
        <source>Messages from the run appear here.</source>
        <translation>训练过程中的消息会显示在这里。</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Step {0} / {1} · stopping: saving a checkpoint…</source>
        <translation>第 {0} / {1} 步 · 正在停止：保存检查点…</translation>
    </message>
    <message>
        <source>{0} start at random</source>
        <translation>{0} 随机初始化</translation>
    </message>
    <message>
        <source>all heads from the checkpoint</source>
        <translation>所有预测头均来自检查点</translation>
    </message>
    <message>
        <source>Run started: {0} steps on {1} ({2}, {3}); {4:,} training sequences, {5:,} held-out sequences; {6}.</source>
        <translation>训练开始：共 {0} 步，设备 {1}（{2}，{3}）；训练序列 {4:,} 条，留出序列 {5:,} 条；{6}。</translation>
    </message>
    <message>
        <source>, next-sentence accuracy {0:.1%}</source>
        <translation>，下一句预测准确率 {0:.1%}</translation>
    </message>
    <message>
        <source>Evaluation ({0}, {1}): perplexity {2:.2f}, masked accuracy {3:.1%}{4}.</source>
        <translation>评估（{0}，{1}）：困惑度 {2:.2f}，掩码词准确率 {3:.1%}{4}。</translation>
    </message>
    <message>
        <source>before training</source>
        <translation>训练前</translation>
    </message>
    <message>
        <source>during training</source>
        <translation>训练中</translation>
    </message>
    <message>
        <source>after training</source>
        <translation>训练后</translation>
    </message>
    <message>
        <source>held-out text</source>
        <translation>留出文本</translation>
    </message>
    <message>
        <source>general text</source>
        <translation>通用文本</translation>
    </message>
    <message>
        <source>Checkpoint saved at step {0}: {1}</source>
        <translation>第 {0} 步已保存检查点：{1}</translation>
    </message>
    <message>
        <source>Stopped at step {0} / {1} · elapsed {2}</source>
        <translation>已在第 {0} / {1} 步停止 · 已用 {2}</translation>
    </message>
    <message>
        <source>Done: step {0} / {1} · elapsed {2}</source>
        <translation>已完成：第 {0} / {1} 步 · 已用 {2}</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Run ended at step {0}; output in {1}.</source>
        <translation>训练在第 {0} 步结束；输出位于 {1}。</translation>
    </message>
    <message>
        <source>Failed at step {0}</source>
        <translation>在第 {0} 步失败</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Failed: {0} {1}</source>
        <translation>失败：{0} {1}</translation>
    </message>
    <message>
        <source>Paused after step {0}.</source>
        <translation>已在第 {0} 步后暂停。</translation>
    </message>
    <message>
        <source>Resumed at step {0}.</source>
        <translation>已从第 {0} 步继续。</translation>
    </message>
    <message>
        <source>Step {0} / {1} · epoch {2:.2f} · {3:,.0f} tokens/s · elapsed {4} · about {5} left</source>
        <translation>第 {0} / {1} 步 · {2:.2f} 轮 · {3:,.0f} 词元/秒 · 已用 {4} · 预计还需 {5}</translation>
    </message>
    <message>
        <source> · GPU memory {0:.2f} GB (peak {1:.2f} GB)</source>
        <translation> · GPU 显存 {0:.2f} GB（峰值 {1:.2f} GB）</translation>
    </message>
</context>
<context>
    <name>RunsPage</name>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>已丢失</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>The workspace {0} does not exist yet; it is made when the first run starts.</source>
        <translation>工作区 {0} 尚不存在；第一次运行开始时会自动创建。</translation>
    </message>
    <message>
        <source>The workspace {0} is not a folder.</source>
        <translation>工作区 {0} 不是文件夹。</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>Every run of the workspace, newest first. Select one to see its curve and evaluation; select several (Ctrl or Shift) to compare their loss curves and figures.</source>
        <translation>工作区中的所有运行，最新的排在最前。选择一个可查看它的曲线和评估结果；选择多个（按住 Ctrl 或 Shift）可比较它们的损失曲线和数据。</translation>
    </message>
    <message>
        <source>Change workspace…</source>
        <translation>更换工作区…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Workspace:</source>
        <translation>工作区：</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>Corpus</source>
        <translation>语料</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Perplexity before → after</source>
        <translation>困惑度 前 → 后</translation>
    </message>
    <message>
        <source>General text</source>
        <translation>通用文本</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Use its settings</source>
        <translation>使用其设置</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Load this run&apos;s settings, corpus and model for a new run.</source>
        <translation>把这次运行的设置、语料和模型载入到一次新运行中。</translation>
    </message>
    <message>
        <source>Move the run folder to the trash (asks first).</source>
        <translation>把运行文件夹移到回收站（会先询问）。</translation>
    </message>
    <message>
        <source>No runs in this workspace yet. Runs started on the Train page appear here.</source>
        <translation>此工作区中还没有运行。在“训练”页开始的运行会显示在这里。</translation>
    </message>
    <message>
        <source>MLM + NSP</source>
        <translation>MLM + 下一句预测</translation>
    </message>
    <message>
        <source>MLM</source>
        <translation>仅 MLM</translation>
    </message>
    <message>
        <source>{0} (MLM loss)</source>
        <translation>{0}（MLM 损失）</translation>
    </message>
    <message>
        <source>Perplexity before</source>
        <translation>训练前困惑度</translation>
    </message>
    <message>
        <source>Perplexity after</source>
        <translation>训练后困惑度</translation>
    </message>
    <message>
        <source>General text change</source>
        <translation>通用文本变化</translation>
    </message>
    <message>
        <source>The run folder {0} no longer exists.</source>
        <translation>运行文件夹 {0} 已不存在。</translation>
    </message>
    <message>
        <source>It was moved or deleted outside bertgui; the list is read again.</source>
        <translation>它已在 bertgui 之外被移动或删除；列表已重新读取。</translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <source>Move these runs to the trash?
{0}</source>
        <translation>要把这些运行移到回收站吗？
{0}</translation>
    </message>
    <message>
        <source>Their models, checkpoints and metrics go with them. You can restore them from the trash.</source>
        <translation>它们的模型、检查点和指标会一起移走。你可以从回收站中恢复它们。</translation>
    </message>
    <message>
        <source>Workspace folder</source>
        <translation>工作区文件夹</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>The settings of the last session could not be read ({0}).</source>
        <translation>无法读取上次会话的设置（{0}）。</translation>
    </message>
    <message>
        <source>Corpus files of the last session are gone: {0}</source>
        <translation>上次会话的语料文件已不存在：{0}</translation>
    </message>
    <message>
        <source>The last run&apos;s folder {0} was moved or deleted.</source>
        <translation>上次运行的文件夹 {0} 已被移动或删除。</translation>
    </message>
</context>
<context>
    <name>StatsView</name>
    <message>
        <source>Reading the first documents…</source>
        <translation>正在读取开头的文档…</translation>
    </message>
    <message>
        <source>{0:.1%} of the tokens are unknown ([UNK]): this model cannot read this text, and training with it will be refused. Adding words to its vocabulary does not help at this share; choose a model made for this language and script, or create a new model from this corpus (step 2, Create new model: its vocabulary is learnt from your text).</source>
        <translation>{0:.1%} 的词元是未知词元（[UNK]）：这个模型读不懂这段文本，用它训练会被拒绝。在这样的比例下，往它的词表里加词无济于事；请选择为这种语言和文字打造的模型，或者用这份语料新建一个模型（第 2 步“新建模型”：它的词表从你的文本中学得）。</translation>
    </message>
    <message>
        <source>{0:.0%} of the segments will be cut at {1} tokens. Raise the maximum length if the cut text matters.</source>
        <translation>{0:.0%} 的片段会在 {1} 个词元处被截断。如果截掉的文本很重要，请调大最大长度。</translation>
    </message>
    <message>
        <source>{0:.1%} of the tokens are unknown ([UNK]) to this vocabulary: the model cannot learn them. Add frequent words to the vocabulary, or use a model whose vocabulary covers this script.</source>
        <translation>{0:.1%} 的词元不在该词表中（[UNK]），模型无法学习这些内容。请把高频词加入词表，或改用词表覆盖这种文字的模型。</translation>
    </message>
    <message>
        <source>Words are cut into {0:.1f} pieces on average (for example: {1}). Adding frequent domain words to the vocabulary helps.</source>
        <translation>每个词平均被切成 {0:.1f} 个子词（例如：{1}）。把高频领域词加入词表会有帮助。</translation>
    </message>
    <message>
        <source>No document has two sentences, so there are no next-sentence pairs: train MLM only, or choose how files split into documents.</source>
        <translation>没有任何文档包含两个及以上的句子，因此无法构成下一句预测句对：请只训练 MLM，或重新选择文件划分文档的方式。</translation>
    </message>
    <message>
        <source>Open a corpus to see its statistics.</source>
        <translation>打开语料即可查看统计信息。</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>Choose a model (step 2): token counts, unknown tokens and cut segments depend on its vocabulary.</source>
        <translation>请选择模型（第 2 步）：词元数、未知词元和截断片段都取决于模型的词表。</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文档数</translation>
    </message>
    <message>
        <source>Sentences</source>
        <translation>句子数</translation>
    </message>
    <message>
        <source>Words and punctuation marks</source>
        <translation>词和标点数</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元数</translation>
    </message>
    <message>
        <source>Unknown tokens ([UNK])</source>
        <translation>未知词元（[UNK]）</translation>
    </message>
    <message>
        <source>Tokens per word (fragmentation)</source>
        <translation>每词平均词元数（切分程度）</translation>
    </message>
    <message>
        <source>Training sequences per pass</source>
        <translation>每轮训练序列数</translation>
    </message>
    <message>
        <source>Segments cut at {0} tokens</source>
        <translation>在 {0} 个词元处截断的片段</translation>
    </message>
    <message>
        <source>Documents with two or more sentences</source>
        <translation>含两句及以上的文档</translation>
    </message>
    <message>
        <source>Pairs with a random B</source>
        <translation>B 为随机句子的句对</translation>
    </message>
    <message>
        <source>no pairs (MLM only)</source>
        <translation>无句对（仅 MLM）</translation>
    </message>
    <message>
        <source>Counted as the tokenizer splits the text before cutting words into pieces: every punctuation mark is one (and, in Chinese, every character or jieba word). A plain word count of the same text (wc -w) is lower.</source>
        <translation>按分词器把词切成词元之前的切分来计数：每个标点符号算一个（中文里每个汉字或每个 jieba 词算一个）。同一文本的普通词数（wc -w）会更低。</translation>
    </message>
    <message>
        <source>Most fragmented words: {0}</source>
        <translation>切分最碎的词：{0}</translation>
    </message>
    <message>
        <source>First {0:,} documents only; counting the whole corpus…</source>
        <translation>仅统计了前 {0:,} 篇文档；正在统计整个语料…</translation>
    </message>
    <message>
        <source>Whole corpus.</source>
        <translation>整个语料。</translation>
    </message>
    <message>
        <source>Nothing to warn about for these settings.</source>
        <translation>按当前设置，没有需要提醒的问题。</translation>
    </message>
</context>
<context>
    <name>StepList</name>
    <message>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>problem</source>
        <translation>有问题</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
</context>
<context>
    <name>TrainPage</name>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Presets:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>Quick look</source>
        <translation>快速试跑</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>Thorough</source>
        <translation>充分训练</translation>
    </message>
    <message>
        <source>Automatic (best available)</source>
        <translation>自动（选择最佳设备）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>{0:.1f} of {1:.1f} GB free</source>
        <translation>可用 {0:.1f} GB / 共 {1:.1f} GB</translation>
    </message>
    <message>
        <source>memory unknown</source>
        <translation>内存未知</translation>
    </message>
    <message>
        <source>Apple GPU (MPS)</source>
        <translation>Apple GPU（MPS）</translation>
    </message>
    <message>
        <source>Open config…</source>
        <translation>打开配置…</translation>
    </message>
    <message>
        <source>Save config…</source>
        <translation>保存配置…</translation>
    </message>
    <message>
        <source>Copy command</source>
        <translation>复制命令</translation>
    </message>
    <message>
        <source>Put the equivalent command line on the clipboard (saves the config first), to run the same training without the window.</source>
        <translation>把等效的命令行复制到剪贴板（会先保存配置），这样不打开窗口也能运行同样的训练。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop after the current step and keep a checkpoint.</source>
        <translation>在当前这一步完成后停止，并保留检查点。</translation>
    </message>
    <message>
        <source>Resume last run</source>
        <translation>继续上次的训练</translation>
    </message>
    <message>
        <source>Continue the run in the output folder from its last checkpoint (same data order; the chart shows the earlier steps too).</source>
        <translation>从输出文件夹中最近的检查点继续训练（数据顺序不变；图表也会显示之前的步数）。</translation>
    </message>
    <message>
        <source>Processes (GPUs) for a torchrun launch.</source>
        <translation>torchrun 启动的进程数（GPU 数）。</translation>
    </message>
    <message>
        <source>In this window</source>
        <translation>在本窗口中</translation>
    </message>
    <message>
        <source>torchrun</source>
        <translation>torchrun</translation>
    </message>
    <message>
        <source>accelerate launch</source>
        <translation>accelerate launch</translation>
    </message>
    <message>
        <source>Run training in this window, or as a separate torchrun / accelerate process (one per GPU) whose events the chart reads. Pause is not available for a separate process.</source>
        <translation>在本窗口中训练，或作为独立的 torchrun / accelerate 进程运行（每个 GPU 一个进程），图表会读取其事件。独立进程无法暂停。</translation>
    </message>
    <message>
        <source>Run:</source>
        <translation>运行方式：</translation>
    </message>
    <message>
        <source>processes</source>
        <translation>进程数</translation>
    </message>
    <message>
        <source>empty: a new folder in the workspace for every run</source>
        <translation>留空：每次运行都在工作区中新建一个文件夹</translation>
    </message>
    <message>
        <source>▾ Fewer settings (basic view)</source>
        <translation>▾ 更少设置（基本视图）</translation>
    </message>
    <message>
        <source>▸ All settings (advanced view)…</source>
        <translation>▸ 全部设置（高级视图）…</translation>
    </message>
    <message>
        <source>Presets, masking, learning rate, checkpoints and every other setting of the run.</source>
        <translation>预设、掩码、学习率、检查点，以及本次运行的所有其他设置。</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Choose your text (step 1) and a model (step 2) to see how long the run takes.</source>
        <translation>选择你的文本（第 1 步）和模型（第 2 步），即可看到本次运行需要多长时间。</translation>
    </message>
    <message>
        <source>Preset “{0}” applied.</source>
        <translation>已应用预设“{0}”。</translation>
    </message>
    <message>
        <source>Save run configuration</source>
        <translation>保存运行配置</translation>
    </message>
    <message>
        <source>TOML files (*.toml)</source>
        <translation>TOML 文件 (*.toml)</translation>
    </message>
    <message>
        <source>Configuration saved to {0}.</source>
        <translation>配置已保存到 {0}。</translation>
    </message>
    <message>
        <source>Open run configuration</source>
        <translation>打开运行配置</translation>
    </message>
    <message>
        <source>Configuration opened from {0}.</source>
        <translation>已从 {0} 打开配置。</translation>
    </message>
    <message>
        <source>Copied to the clipboard:</source>
        <translation>已复制到剪贴板：</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>No corpus chosen.</source>
        <translation>尚未选择语料。</translation>
    </message>
    <message>
        <source>Open your text in step 1.</source>
        <translation>请在第 1 步打开你的文本。</translation>
    </message>
    <message>
        <source>No model chosen.</source>
        <translation>尚未选择模型。</translation>
    </message>
    <message>
        <source>Choose a model in step 2.</source>
        <translation>请在第 2 步选择模型。</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>正在准备…</translation>
    </message>
    <message>
        <source>Paused at step {0} / {1}</source>
        <translation>已暂停于第 {0} / {1} 步</translation>
    </message>
    <message>
        <source>Stopping: saving a checkpoint…</source>
        <translation>正在停止：保存检查点…</translation>
    </message>
    <message>
        <source>Say how long you can wait, then press Start; every other setting is under “All settings”. The chart shows the loss as it falls; you can pause, stop (a checkpoint is kept) or close the window at any time.</source>
        <translation>说出你能等多久，然后点击“开始”；其他所有设置都在“全部设置”中。图表会显示损失逐步下降的过程；你可以随时暂停、停止（会保留检查点）或关闭窗口。</translation>
    </message>
    <message>
        <source>Starting: model {0}, text {1}.</source>
        <translation>正在开始：模型 {0}，文本 {1}。</translation>
    </message>
    <message>
        <source>Pausing after step {0}…</source>
        <translation>将在第 {0} 步后暂停…</translation>
    </message>
    <message>
        <source>Training: step {0} / {1}</source>
        <translation>训练中：第 {0} / {1} 步</translation>
    </message>
    <message>
        <source>Preparing: {0}</source>
        <translation>正在准备：{0}</translation>
    </message>
    <message>
        <source>Evaluating on held-out text…</source>
        <translation>正在留出文本上评估…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Stopped at step {0} / {1} (checkpoint kept)</source>
        <translation>已停止于第 {0} / {1} 步（检查点已保留）</translation>
    </message>
    <message>
        <source>Finished: {0} steps in {1}</source>
        <translation>已完成：{0} 步，用时 {1}</translation>
    </message>
    <message>
        <source>Failed at step {0}: {1}</source>
        <translation>第 {0} 步失败：{1}</translation>
    </message>
</context>
<context>
    <name>VocabularyPanel</name>
    <message>
        <source>Counting words in the corpus…</source>
        <translation>正在统计语料中的词…</translation>
    </message>
    <message>
        <source>Tokenizing with the new words…</source>
        <translation>正在用新词重新切分…</translation>
    </message>
    <message>
        <source>Words of your corpus that the model&apos;s tokenizer cuts into several pieces, most tokens saved first. Ticked words are added to the vocabulary as one new token each before training ([vocab] add).</source>
        <translation>语料中被模型的分词器切成多个子词的词，按可节省的词元数从多到少排列。勾选的词会在训练前各作为一个新词元加入词表（[vocab] add）。</translation>
    </message>
    <message>
        <source>up to </source>
        <translation>最多 </translation>
    </message>
    <message>
        <source>Find candidates</source>
        <translation>查找候选词</translation>
    </message>
    <message>
        <source>Tick top N</source>
        <translation>勾选前 N 个</translation>
    </message>
    <message>
        <source>Untick all</source>
        <translation>全部取消勾选</translation>
    </message>
    <message>
        <source>Reuse [unused…] slots</source>
        <translation>复用 [unused…] 槽位</translation>
    </message>
    <message>
        <source>Put new words into the vocabulary&apos;s [unused…] entries when it has them, so the embedding matrix keeps its size.</source>
        <translation>词表中有 [unused…] 条目时，把新词放进这些位置，使嵌入矩阵的大小保持不变。</translation>
    </message>
    <message>
        <source>N =</source>
        <translation>N =</translation>
    </message>
    <message>
        <source>Word</source>
        <translation>词</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>出现次数</translation>
    </message>
    <message>
        <source>Current pieces</source>
        <translation>当前切分</translation>
    </message>
    <message>
        <source>Tokens saved</source>
        <translation>节省的词元数</translation>
    </message>
    <message>
        <source>Share of tokens</source>
        <translation>占词元比例</translation>
    </message>
    <message>
        <source>× general</source>
        <translation>通用文本倍数</translation>
    </message>
    <message>
        <source>Choose a corpus and a model, then find candidates.</source>
        <translation>请选择语料和模型，然后查找候选词。</translation>
    </message>
    <message>
        <source>Find candidates for this corpus and model.</source>
        <translation>为当前语料和模型查找候选词。</translation>
    </message>
    <message>
        <source>Choose a corpus and a model first.</source>
        <translation>请先选择语料和模型。</translation>
    </message>
    <message>
        <source>Looking for candidates…</source>
        <translation>正在查找候选词…</translation>
    </message>
    <message>
        <source>{0} candidates from {1:,} documents ({2:,} words, {3:,} tokens). Tick the words to add.</source>
        <translation>从 {1:,} 篇文档（{2:,} 个词，{3:,} 个词元）中找到 {0} 个候选词。请勾选要添加的词。</translation>
    </message>
    <message>
        <source>Words not at least twice as frequent here as in the general text {0} are left out.</source>
        <translation>在本语料中出现频率不到通用文本 {0} 两倍的词已被排除。</translation>
    </message>
    <message>
        <source>To leave out words common in any text, give a general-text file (Train page, Corpus: General text) and find again.</source>
        <translation>如果想排除在任何文本里都常见的词，请提供一个通用文本文件（“训练”页的“语料”部分：通用文本），然后重新查找。</translation>
    </message>
    <message>
        <source>No word of this corpus is split often enough to be worth adding.</source>
        <translation>语料中没有切分频繁到值得加入词表的词。</translation>
    </message>
    <message>
        <source>A piece is [UNK]: the model cannot read this word today.</source>
        <translation>其中有子词是 [UNK]：模型目前无法识别这个词。</translation>
    </message>
    <message>
        <source>Computing the before/after figures…</source>
        <translation>正在计算添加前后的数据…</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元数</translation>
    </message>
    <message>
        <source>Tokens per word</source>
        <translation>每词平均词元数</translation>
    </message>
    <message>
        <source>[UNK] rate</source>
        <translation>[UNK] 比例</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>添加前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>添加后</translation>
    </message>
    <message>
        <source>{0} new tokens; the corpus gets {1:.1f} % shorter.</source>
        <translation>新增 {0} 个词元；语料缩短 {1:.1f} %。</translation>
    </message>
    <message>
        <source>Not added: {0}.</source>
        <translation>未添加：{0}。</translation>
    </message>
</context>
</TS>
