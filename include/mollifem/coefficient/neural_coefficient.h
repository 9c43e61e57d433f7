#ifndef mollifem_coefficient_neural_coefficient_h
#define mollifem_coefficient_neural_coefficient_h

#include <deal.II/base/quadrature.h>
#include <deal.II/base/smartpointer.h>

#include <deal.II/grid/tria.h>

#include <deal.II/lac/lapack_full_matrix.h>

#include <mollifem/coefficient/coefficient.h>

#include <boost/signals2/connection.hpp>

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace mollifem
{
  /**
   * The architecture of a NeuralCoefficient: a multilayer perceptron on the
   * (normalized) coordinates.
   */
  struct NeuralParameters
  {
    /// Widths of the hidden layers, e.g. {16, 16}.
    std::vector<unsigned int> hidden_layers = {16, 16};
    /// "tanh" or "sine".
    std::string activation = "tanh";
    /// Number of random Fourier features (0: the coordinates alone).
    unsigned int fourier_features = 0;
    /// Standard deviation of the frequencies of the Fourier features, in
    /// periods over the domain.
    double fourier_scale = 1.;
    /// Seed of the initial weights and of the Fourier frequencies.
    unsigned int seed = 1;
    /// Value of q the initial network returns everywhere (before the log
    /// transform: log of it is the output bias with the transform).
    double initial_value = 1.;
    /// A file of weights (NeuralCoefficient::write_weights()) to start from
    /// instead of the seeded ones; empty: none.
    std::string weights_file;
  };



  /**
   * A coefficient represented by a small neural network, a multilayer
   * perceptron $y_\theta(\hat x)$ on the coordinates $\hat x$ scaled to
   * $[-1, 1]^d$ over the bounding box of the triangulation:
   * $h_0 = (\hat x, \sin(2\pi B\hat x), \cos(2\pi B\hat x))$ (the Fourier
   * features optional, $B$ fixed and drawn with the seed),
   * $h_l = \sigma(W_l h_{l-1} + b_l)$ with $\sigma$ = tanh or sin,
   * $y = w^T h_L + b$, and $q = y$ or $q = \exp(y)$ with the log transform.
   * The parameters $\theta$ are all weights and biases (layer by layer,
   * $W_l$ row by row, then $b_l$).
   *
   * **Batched evaluation.** The first values() call for a quadrature rule
   * evaluates the network at the quadrature points of all locally owned
   * cells at once, in chunks of points through BLAS matrix products
   * (LAPACKFullMatrix), and later calls read the cached values by cell. The
   * vector-Jacobian product is batched the same way: add_gradient() only
   * collects the sensitivities per point, and finish_gradient() runs the
   * backward pass over all points (recomputing each chunk's activations
   * instead of storing them, so memory stays at a few numbers per point).
   * The Jacobian-vector product (direction_values()) is a batched forward
   * mode pass.
   *
   * **MPI.** The weights are replicated: every rank holds all of them and
   * evaluates its own cells; the parameter vector is owned by rank 0 (so
   * that ROL sees each weight once), set_parameters() broadcasts it, and
   * finish_gradient() sums the ranks' contributions into rank 0's entries.
   * Results do not depend on the number of ranks beyond round-off.
   *
   * The cells passed to values() must be locally owned cells of the
   * triangulation given to the constructor.
   */
  template <int dim>
  class NeuralCoefficient : public ParametricCoefficient<dim>
  {
  public:
    NeuralCoefficient(const Triangulation<dim> &triangulation,
                      const NeuralParameters &  parameters,
                      const bool                log_transform);

    ~NeuralCoefficient() override;

    /// The architecture as one line: "tanh 2-16-16-1, 0 Fourier features".
    std::string
    architecture_line() const;

    /// Number of weights and biases.
    unsigned int
    n_parameters() const;

    LA::Vector
    make_parameter_vector() const override;

    void
    set_parameters(const LA::Vector &parameters) override;

    const LA::Vector &
    parameters() const override;

    void
    set_direction(const LA::Vector &direction) override;

    void
    values(const FEValues<dim> &fe_values,
           std::vector<double> &values) const override;

    void
    direction_values(const FEValues<dim> &fe_values,
                     std::vector<double> &values) const override;

    void
    add_gradient(const FEValues<dim> &      fe_values,
                 const std::vector<double> &weights,
                 LA::Vector &               gradient) const override;

    /// The backward pass over the points add_gradient() has seen; sums over
    /// the ranks into rank 0's entries. Collective.
    void
    finish_gradient(LA::Vector &gradient) const override;

    /// The initial weights again (from the seed).
    void
    initialize();

    /**
     * Write the weights: a header line with the architecture, then one
     * weight per line (in the order of the parameter vector, to full
     * precision). Every rank holds them; write from one.
     */
    void
    write_weights(std::ostream &out) const;

    /**
     * Set the weights from a file written by write_weights(); the
     * architecture in its header must be this network's (ExcFile naming the
     * file and line otherwise). Collective: every rank reads the file.
     */
    void
    read_weights(const std::string &filename);

    bool
    uses_log_transform() const;

    std::string
    description() const override;

  private:
    /// The network at the points of one quadrature rule on all locally
    /// owned cells.
    struct Batch
    {
      Quadrature<dim>       quadrature;
      const Mapping<dim> *  mapping = nullptr;
      /// First point of each active cell (by active_cell_index), or
      /// numbers::invalid_unsigned_int for cells not owned.
      std::vector<unsigned int> offsets;
      /// Normalized network inputs (before Fourier features), dim per point.
      std::vector<double> inputs;
      /// Network output y and its directional derivative per point, and the
      /// sensitivities dJ/dy collected by add_gradient().
      std::vector<double> outputs;
      std::vector<double> direction_outputs;
      std::vector<double> sensitivities;
      bool                outputs_valid           = false;
      bool                direction_outputs_valid = false;
      bool                has_sensitivities       = false;
    };

    /// The batch of @p fe_values's quadrature (created and evaluated as
    /// needed), and the offset of its cell's first point.
    Batch &
    batch(const FEValues<dim> &fe_values, unsigned int &offset) const;

    /// Forward pass over the points [begin, end) of @p b: the outputs, the
    /// directional outputs for @p direction (if not null), and the
    /// activations of every layer (kept for a backward pass).
    void
    forward(const Batch &         b,
            const unsigned int    begin,
            const unsigned int    end,
            const double *        direction,
            std::vector<double> * outputs,
            std::vector<double> * direction_outputs) const;

    /// Backward pass over the chunk last run by forward(): adds
    /// d(sum_k s_k y_k)/d theta to @p gradient.
    void
    backward(const Batch &b,
             const unsigned int begin,
             const unsigned int end,
             std::vector<double> &gradient) const;

    /// Input width of the first layer.
    unsigned int
    n_inputs() const;

    /// q'(y)/q: 1 or exp(y).
    double
    transform(const double y) const;

    double
    transform_derivative(const double y) const;

    void
    invalidate_batches();

    /// The entries of a vector with the parameter layout (owned by rank 0)
    /// on every rank. Collective.
    std::vector<double>
    replicated(const LA::Vector &vector) const;

    /// owned_parameters = theta on rank 0's entries.
    void
    store_owned_parameters();

    SmartPointer<const Triangulation<dim>> triangulation;
    const NeuralParameters                 architecture;
    const bool                             log_transform;
    /// Widths of all layers from the input to the output (1).
    std::vector<unsigned int> widths;
    /// Where W_l and b_l start in theta.
    std::vector<unsigned int> weight_offsets, bias_offsets;
    /// Fourier frequencies B (fourier_features x dim).
    std::vector<Tensor<1, dim>> frequencies;
    /// Scaling of the coordinates: x_hat = (x - center) * scale.
    Point<dim>     center;
    Tensor<1, dim> scale;

    LA::Vector          owned_parameters;
    /// The replicated weights and the replicated direction.
    std::vector<double> theta;
    std::vector<double> direction_theta;

    mutable std::vector<std::unique_ptr<Batch>> batches;
    /// Activations of the last chunk: pre-activations z_l and outputs h_l
    /// (h_0 the features), one matrix (points x width) per layer, and their
    /// directional derivatives.
    mutable std::vector<LAPACKFullMatrix<double>> z, h, dz, dh;

    boost::signals2::connection mesh_change_connection;
  };
} // namespace mollifem

#endif
